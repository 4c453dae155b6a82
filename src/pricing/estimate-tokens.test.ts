import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { CanonicalRequest } from '../core/canonical.ts';
import { countTextTokens, estimateUsage, IMAGE_TOKEN_ESTIMATE } from './estimate-tokens.ts';

function request(overrides: Partial<CanonicalRequest>): CanonicalRequest {
  return { model: 'm', messages: [], stream: false, extra: {}, ...overrides };
}

test('countTextTokens uses o200k_base', async () => {
  assert.equal(await countTextTokens('hello world'), 2);
  assert.equal(await countTextTokens(''), 0);
  // Special-token text in user content is counted, not rejected.
  assert.ok((await countTextTokens('a <|endoftext|> b')) > 3);
});

test('estimateUsage: per-message framing + content, marked estimated', async () => {
  const text = 'What is the capital of France?';
  const usage = await estimateUsage(
    request({ messages: [{ role: 'user', content: [{ type: 'text', text }] }] }),
    'Paris.',
  );
  // 3 reply priming + 3 per message + role + content
  const input = 3 + 3 + (await countTextTokens('user')) + (await countTextTokens(text));
  assert.deepEqual(usage, {
    inputTokens: input,
    outputTokens: await countTextTokens('Paris.'),
    estimated: true,
  });
});

test('estimateUsage counts images flat, tools, tool calls and reasoning as output', async () => {
  const tools = [{ name: 'weather', parameters: { type: 'object' } }];
  const usage = await estimateUsage(
    request({
      tools,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
          ],
        },
      ],
    }),
    [
      { type: 'reasoning', text: 'Need the weather.' },
      { type: 'tool-call', id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' },
    ],
  );
  const input =
    3 +
    3 +
    (await countTextTokens('user')) +
    (await countTextTokens('hi')) +
    IMAGE_TOKEN_ESTIMATE +
    (await countTextTokens(JSON.stringify(tools)));
  const reasoning = await countTextTokens('Need the weather.');
  const call = (await countTextTokens('weather')) + (await countTextTokens('{"city":"Paris"}'));
  assert.deepEqual(usage, {
    inputTokens: input,
    outputTokens: reasoning + call,
    reasoningTokens: reasoning,
    estimated: true,
  });
});

test('gpt-tokenizer is not loaded until the first estimate', () => {
  // A fresh process records every module it resolves while importing the pricing module.
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    const pricing = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
    const before = seen.some((s) => s.startsWith('gpt-tokenizer'));
    await pricing.countTextTokens('hi');
    const afterUse = seen.some((s) => s.startsWith('gpt-tokenizer'));
    console.log(JSON.stringify({ before, afterUse }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), { before: false, afterUse: true });
});
