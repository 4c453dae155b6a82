import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseStream } from './parse-stream.ts';

const request: CanonicalRequest = { model: 'command-a', messages: [], stream: true, extra: {} };

/** The transcript's bytes in pieces of `size`, so frames split across network chunks. */
async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let at = 0; at < all.length; at += size) yield all.slice(at, at + size);
}

async function collect(text: string, size = 37): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of parseStream(bytes(text, size), request)) events.push(event);
  return events;
}

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

describe('parseStream transcripts', () => {
  test('text stream', async () => {
    const expected: StreamEvent[] = [
      { type: 'response-start', id: '7c1e2a90-5b3d-4f7e-9a1c-0d2e3f4a5b6c', model: 'command-a' },
      { type: 'text-delta', index: 0, delta: 'Two' },
      { type: 'text-delta', index: 0, delta: ' plus' },
      { type: 'text-delta', index: 0, delta: ' two' },
      { type: 'text-delta', index: 0, delta: ' equals' },
      { type: 'text-delta', index: 0, delta: ' four' },
      { type: 'text-delta', index: 0, delta: '.' },
      { type: 'block-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 612, outputTokens: 9, cacheReadTokens: 512 } },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'COMPLETE',
        usage: { inputTokens: 612, outputTokens: 9, cacheReadTokens: 512 },
      },
    ];
    assert.deepEqual(await collect(fixture('stream-text.sse')), expected);
    // Same events whatever the network chunking.
    assert.deepEqual(await collect(fixture('stream-text.sse'), 1), expected);
    assert.deepEqual(await collect(fixture('stream-text.sse'), 100_000), expected);
  });

  test('thinking then text', async () => {
    assert.deepEqual(await collect(fixture('stream-thinking.sse')), [
      { type: 'response-start', id: 'b2f4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b', model: 'command-a' },
      { type: 'reasoning-delta', index: 0, delta: 'Simple' },
      { type: 'reasoning-delta', index: 0, delta: ' arithmetic' },
      { type: 'reasoning-delta', index: 0, delta: '.' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'It' },
      { type: 'text-delta', index: 1, delta: ' is' },
      { type: 'text-delta', index: 1, delta: ' 4' },
      { type: 'text-delta', index: 1, delta: '.' },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage: { inputTokens: 1210, outputTokens: 35, cacheReadTokens: 1184 } },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'COMPLETE',
        usage: { inputTokens: 1210, outputTokens: 35, cacheReadTokens: 1184 },
      },
    ]);
  });

  test('tool-call stream: tool plan block, two calls (one without arguments)', async () => {
    const plan = ['I', ' will', ' look', ' up', ' the', ' forecast', ' and', ' the', ' local', ' time', '.'];
    assert.deepEqual(await collect(fixture('stream-tool-call.sse')), [
      { type: 'response-start', id: '4e6a8c0b-2d4f-4a6b-8c0d-1e3f5a7b9c1d', model: 'command-a' },
      ...plan.map((delta): StreamEvent => ({ type: 'text-delta', index: 0, delta })),
      { type: 'block-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'forecast_k3m9q2w7x1z5', name: 'forecast' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: 'city' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ' "' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: 'Lyon' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"}' },
      { type: 'block-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'localTime_p8r2t4v6y0b3', name: 'localTime' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
      { type: 'block-end', index: 2 },
      { type: 'usage', usage: { inputTokens: 1433, outputTokens: 81, cacheReadTokens: 1280 } },
      {
        type: 'response-end',
        finishReason: 'tool-calls',
        rawFinishReason: 'TOOL_CALL',
        usage: { inputTokens: 1433, outputTokens: 81, cacheReadTokens: 1280 },
      },
    ]);
  });
});

describe('parseStream endings', () => {
  test('a stream that ends without message-end ends with upstream_stream_broken', async () => {
    const events = await collect(fixture('stream-truncated.sse'));
    assert.deepEqual(events.slice(0, -1), [
      { type: 'response-start', id: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d', model: 'command-a' },
      { type: 'text-delta', index: 0, delta: 'Once' },
      { type: 'text-delta', index: 0, delta: ' upon' },
    ]);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    const error = (last as { error: GatewayError }).error;
    assert.equal(error.code, 'upstream_stream_broken');
    assert.equal(error.retryable, true);
  });

  test('a connection failure mid-stream becomes an error event', async () => {
    async function* dying(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(fixture('stream-text.sse').slice(0, 400));
      throw new Error('socket hang up');
    }
    const events: StreamEvent[] = [];
    for await (const event of parseStream(dying(), request)) events.push(event);
    const last = events.at(-1) as { type: string; error: GatewayError };
    assert.equal(last.type, 'error');
    assert.equal(last.error.code, 'upstream_stream_broken');
    assert.equal(events[0]?.type, 'response-start');
  });

  test('malformed event data is an error, not a guess', async () => {
    const events = await collect(
      'event: message-start\ndata: {"id":"x","type":"message-start"}\n\nevent: content-delta\ndata: {oops\n\n',
    );
    assert.deepEqual(events[0], { type: 'response-start', id: 'x', model: 'command-a' });
    assert.equal(events[1]?.type, 'error');
    assert.equal(events.length, 2);
  });

  test('ERROR finish reason maps to error; blocks still close; message-end without usage', async () => {
    const text = [
      'event: message-start\ndata: {"id":"m","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n',
      'event: content-start\ndata: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":"Par"}}}}\n\n',
      'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal"}}\n\n',
    ].join('');
    assert.deepEqual(await collect(text), [
      { type: 'response-start', id: 'm', model: 'command-a' },
      { type: 'text-delta', index: 0, delta: 'Par' },
      { type: 'block-end', index: 0 },
      { type: 'response-end', finishReason: 'error', rawFinishReason: 'ERROR' },
    ]);
  });
});
