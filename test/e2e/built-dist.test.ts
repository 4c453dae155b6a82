// The build `npm start` runs (dist/, bundled by scripts/build.mjs; `npm install` builds it), with npm
// start's Node flags: served end to end with the openai SDK, traces written through the worker chunk,
// metrics rendered, clean exit.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import OpenAI from 'openai';
import { startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAITextStreamChunks } from '../fakes/openai.ts';
import { spawnGateway } from '../helpers/spawn-gateway.ts';
import { START_FLAGS } from '../helpers/start-flags.ts';

const MAIN = new URL('../../dist/main.js', import.meta.url);

test('the built gateway serves, streams, records traces through its worker and exits 0 on SIGTERM', async () => {
  assert.ok(existsSync(MAIN), 'dist/main.js is missing: run `npm run build` (npm install runs it)');
  const upstream = await startFakeServer();
  upstream.enqueue(openAICompletion({ content: 'built and bundled', usage: { prompt: 9, completion: 3 } }), {
    chunks: openAITextStreamChunks({
      pieces: ['str', 'eam'],
      includeUsage: true,
      usage: { prompt: 11, completion: 2 },
    }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-dist-'));
  const { child, url } = await spawnGateway(
    MAIN.pathname,
    `${upstream.url}/v1`,
    {
      SWITCHYARD_DATABASE_URL: `sqlite:${join(dir, 'traces.db')}`,
      SWITCHYARD_TRACE_JOURNAL: join(dir, 'journal.ndjson'),
    },
    START_FLAGS,
  );
  try {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(completion.choices[0].message.content, 'built and bundled');
    let streamed = '';
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(streamed, 'stream');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(
      metrics,
      /switchyard_request_duration_seconds_count\{provider="openai",model="gpt-4o-mini"\} 2/,
    );
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    const db = new DatabaseSync(join(dir, 'traces.db'));
    const rows = db.prepare('select provider, stream, input_tokens from traces order by stream').all();
    db.close();
    assert.deepEqual(
      rows.map((row) => ({ ...row })),
      [
        { provider: 'openai', stream: 0, input_tokens: 9 },
        { provider: 'openai', stream: 1, input_tokens: 11 },
      ],
    );
  } finally {
    child.kill('SIGKILL');
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
