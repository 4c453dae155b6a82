import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CanonicalRequest } from '../core/canonical.ts';
import type { StreamEvent } from '../core/stream-events.ts';
import {
  CONTINUE_INSTRUCTION,
  type ContinuationMode,
  continuationMode,
  continuationRequest,
  continueStream,
} from './continuation.ts';
import { StreamLedger } from './stream-ledger.ts';
import { candidate } from './test-helpers.ts';

const request: CanonicalRequest = {
  model: 'm',
  stream: true,
  extra: {},
  maxOutputTokens: 100,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Tell me.' }] }],
};

function ledgerOf(events: StreamEvent[]): StreamLedger {
  const ledger = new StreamLedger();
  for (const event of events) ledger.observe(event);
  return ledger;
}

async function fitted(
  ledger: StreamLedger,
  mode: ContinuationMode,
  events: StreamEvent[],
): Promise<StreamEvent[]> {
  const source = (async function* () {
    yield* events;
  })();
  const out: StreamEvent[] = [];
  for await (const event of continueStream(source, ledger, mode)) {
    ledger.observe(event);
    out.push(event);
  }
  return out;
}

const start: StreamEvent = { type: 'response-start', id: 'msg_1', model: 'x' };
const end: StreamEvent = {
  type: 'response-end',
  finishReason: 'stop',
  usage: { inputTokens: 20, outputTokens: 5 },
};

describe('continuation mode', () => {
  const withText = ledgerOf([start, { type: 'text-delta', index: 0, delta: 'Half an answer' }]);

  test('native on Anthropic-style providers, instructed elsewhere, restart with no text yet', () => {
    assert.deepEqual(continuationMode(withText, candidate('anthropic', 'claude-x'), request), {
      mode: 'native',
    });
    assert.deepEqual(continuationMode(withText, candidate('groq', 'llama'), request), { mode: 'instructed' });
    const bedrock = candidate('bedrock', 'us.anthropic.claude-x');
    bedrock.target.provider.type = 'bedrock';
    assert.deepEqual(continuationMode(withText, bedrock, request), { mode: 'native' });
    assert.deepEqual(continuationMode(ledgerOf([start]), candidate('groq', 'llama'), request), {
      mode: 'restart',
    });
  });

  test('extended thinking cannot be prefilled: instructed', () => {
    const thinking = { ...request, reasoning: { budgetTokens: 1024 } };
    assert.deepEqual(continuationMode(withText, candidate('anthropic', 'claude-x'), thinking), {
      mode: 'instructed',
    });
  });

  test('refused after a tool call reached the client, or for JSON output', () => {
    const tool = ledgerOf([start, { type: 'tool-call-start', index: 0, id: 'c', name: 'f' }]);
    assert.deepEqual(continuationMode(tool, candidate('anthropic', 'claude-x'), request), {
      refused: 'a tool call had already reached the client and cannot be taken back',
    });
    const json = { ...request, responseFormat: { type: 'json' as const } };
    assert.deepEqual(continuationMode(withText, candidate('anthropic', 'claude-x'), json), {
      refused: 'a partial JSON answer cannot be continued reliably',
    });
  });
});

describe('continuation request', () => {
  test('native: the text so far as the final assistant turn; the output budget shrinks', () => {
    assert.deepEqual(continuationRequest(request, 'So far, so good. ', 'native'), {
      ...request,
      maxOutputTokens: 95,
      messages: [
        ...request.messages,
        { role: 'assistant', content: [{ type: 'text', text: 'So far, so good. ' }] },
      ],
    });
  });

  test('instructed: then a user turn asking to continue', () => {
    const { messages } = continuationRequest(request, 'So far', 'instructed');
    assert.deepEqual(messages.slice(1), [
      { role: 'assistant', content: [{ type: 'text', text: 'So far' }] },
      { role: 'user', content: [{ type: 'text', text: CONTINUE_INSTRUCTION }] },
    ]);
  });

  test("a client's own prefill is extended, not followed by a second assistant turn", () => {
    const prefilled = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant' as const, content: [{ type: 'text' as const, text: '{' }] },
      ],
    };
    assert.deepEqual(continuationRequest(prefilled, '"a":', 'native').messages.at(-1), {
      role: 'assistant',
      content: [
        { type: 'text', text: '{' },
        { type: 'text', text: '"a":' },
      ],
    });
    assert.equal(continuationRequest(request, '', 'restart'), request);
  });
});

describe('fitting the continuation onto the stream', () => {
  test('native: the open text block goes on, the whitespace the prefix lost is not repeated, usage adds up', async () => {
    const ledger = ledgerOf([start, { type: 'text-delta', index: 0, delta: 'The answer is ' }]);
    ledger.priorUsage = { inputTokens: 20, outputTokens: 3, estimated: true };
    const out = await fitted(ledger, 'native', [
      { type: 'response-start', id: 'msg_2', model: 'y' },
      { type: 'text-delta', index: 0, delta: ' 42' },
      { type: 'text-delta', index: 0, delta: '.' },
      { type: 'block-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 2 } },
      end,
    ]);
    assert.deepEqual(out, [
      { type: 'text-delta', index: 0, delta: '42' },
      { type: 'text-delta', index: 0, delta: '.' },
      { type: 'block-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 45, outputTokens: 5, estimated: true } },
      {
        type: 'response-end',
        finishReason: 'stop',
        usage: { inputTokens: 40, outputTokens: 8, estimated: true },
      },
    ]);
    assert.equal(ledger.text(), 'The answer is 42.');
  });

  test('instructed: a reply that starts the answer over has the repetition cut', async () => {
    const ledger = ledgerOf([start, { type: 'text-delta', index: 0, delta: 'The quick brown fox ' }]);
    const out = await fitted(ledger, 'instructed', [
      { type: 'text-delta', index: 0, delta: 'The quick ' },
      { type: 'text-delta', index: 0, delta: 'brown fox jumps' },
      { type: 'text-delta', index: 0, delta: ' over.' },
      end,
    ]);
    assert.deepEqual(
      out.filter((event) => event.type === 'text-delta'),
      [
        { type: 'text-delta', index: 0, delta: 'jumps' },
        { type: 'text-delta', index: 0, delta: ' over.' },
      ],
    );
    assert.equal(ledger.text(), 'The quick brown fox jumps over.');
  });

  test('instructed: a real continuation goes out (held text at once) as soon as it differs', async () => {
    const ledger = ledgerOf([start, { type: 'text-delta', index: 0, delta: 'The quick brown fox ' }]);
    const out = await fitted(ledger, 'instructed', [
      { type: 'text-delta', index: 0, delta: 'The' },
      { type: 'text-delta', index: 0, delta: 'n it jumps.' },
      end,
    ]);
    assert.deepEqual(out, [{ type: 'text-delta', index: 0, delta: 'Then it jumps.' }, end]);
    assert.equal(ledger.text(), 'The quick brown fox Then it jumps.');
  });

  test('restart after reasoning only: the open reasoning block is closed, new blocks take new indexes', async () => {
    const ledger = ledgerOf([start, { type: 'reasoning-delta', index: 0, delta: 'Let me th' }]);
    const out = await fitted(ledger, 'restart', [
      { type: 'response-start', id: 'msg_2', model: 'y' },
      { type: 'reasoning-delta', index: 0, delta: 'Thinking again' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'Hi' },
      { type: 'block-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
      { type: 'block-end', index: 2 },
      { type: 'response-end', finishReason: 'tool-calls' },
    ]);
    assert.deepEqual(out, [
      { type: 'block-end', index: 0 },
      { type: 'reasoning-delta', index: 1, delta: 'Thinking again' },
      { type: 'block-end', index: 1 },
      { type: 'text-delta', index: 2, delta: 'Hi' },
      { type: 'block-end', index: 2 },
      { type: 'tool-call-start', index: 3, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 3, argumentsDelta: '{}' },
      { type: 'block-end', index: 3 },
      { type: 'response-end', finishReason: 'tool-calls', usage: undefined },
    ]);
  });

  test('reasoning that would interrupt the open text block is dropped', async () => {
    const ledger = ledgerOf([start, { type: 'text-delta', index: 0, delta: 'Hello' }]);
    const out = await fitted(ledger, 'native', [
      { type: 'reasoning-delta', index: 0, delta: 'hmm' },
      { type: 'reasoning-signature', index: 0, signature: 'sig' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: ' world' },
      { type: 'block-end', index: 1 },
      end,
    ]);
    assert.deepEqual(out.slice(0, 2), [
      { type: 'text-delta', index: 0, delta: ' world' },
      { type: 'block-end', index: 0 },
    ]);
  });
});
