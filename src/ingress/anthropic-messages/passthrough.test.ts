import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { AttemptTap, PassthroughStreamContext } from '../../core/adapters.ts';
import codec from './index.ts';

const transcript = readFileSync(new URL('./__fixtures__/stream-thinking-tool-use.sse', import.meta.url));
const context: PassthroughStreamContext = { requestId: 'req_p', stripUsage: false };
const passthrough = codec.passthrough!;

type Call = [string, ...unknown[]];

function recordingTap(): { tap: AttemptTap; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    tap: {
      onFirstByte: () => calls.push(['firstByte']),
      onResponseModel: (model) => calls.push(['model', model]),
      onUsage: (usage) => calls.push(['usage', usage]),
      onFinish: (reason) => calls.push(['finish', reason]),
    },
  };
}

/** splits bytes into fixed-size chunks, cutting through frames and lines */
function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function* upstream(chunks: Uint8Array[], then?: Error): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
  if (then) throw then;
}

async function run(source: AsyncIterable<Uint8Array>, tap: AttemptTap): Promise<Array<Uint8Array | string>> {
  const out: Array<Uint8Array | string> = [];
  for await (const piece of passthrough.tapStream(source, tap, context)) out.push(piece);
  return out;
}

const text = (pieces: Array<Uint8Array | string>) =>
  pieces.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString('utf8'))).join('');

const START_USAGE = { inputTokens: 2226, outputTokens: 3, cacheReadTokens: 2048, cacheWriteTokens: 120 };
const FINAL_USAGE = { inputTokens: 2226, outputTokens: 87, cacheReadTokens: 2048, cacheWriteTokens: 120 };

describe('anthropic-messages passthrough tapStream', () => {
  for (const size of [7, 64, 100_000]) {
    it(`forwards the bytes unchanged, chunk by chunk (${size}-byte chunks) and reports the tap`, async () => {
      const chunks = chunk(transcript, size);
      const { tap, calls } = recordingTap();
      const out = await run(upstream(chunks), tap);
      assert.equal(out.length, chunks.length);
      for (const [i, piece] of out.entries())
        assert.equal(piece, chunks[i], `chunk ${i} is the upstream's own chunk`);
      assert.deepEqual(Buffer.concat(out.map((p) => p as Uint8Array)), Buffer.from(transcript));
      assert.deepEqual(calls, [
        ['firstByte'],
        ['model', 'claude-sonnet-4-5-20250929'],
        ['usage', START_USAGE],
        ['usage', FINAL_USAGE],
        ['finish', 'tool_use'],
      ]);
    });
  }

  it('reports as the bytes pass, without waiting for the end', async () => {
    const firstFrameEnd = transcript.indexOf('\n\n') + 2;
    const { tap, calls } = recordingTap();
    const seenBeforeSecondChunk: Call[] = [];
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield transcript.subarray(0, firstFrameEnd);
      seenBeforeSecondChunk.push(...calls);
      yield transcript.subarray(firstFrameEnd);
    }
    await run(slow(), tap);
    assert.deepEqual(seenBeforeSecondChunk, [
      ['firstByte'],
      ['model', 'claude-sonnet-4-5-20250929'],
      ['usage', START_USAGE],
    ]);
  });

  it('adds an error event after the bytes when the upstream dies between frames', async () => {
    const cut = transcript.indexOf(
      'event: content_block_start\ndata: {"type":"content_block_start","index":1',
    );
    const sent = transcript.subarray(0, cut);
    const { tap, calls } = recordingTap();
    const out = await run(upstream(chunk(sent, 50), new Error('socket hang up')), tap);
    assert.equal(
      text(out),
      sent.toString('utf8') +
        'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The upstream stream failed before the response was complete"}}\n\n',
    );
    assert.deepEqual(calls, [['firstByte'], ['model', 'claude-sonnet-4-5-20250929'], ['usage', START_USAGE]]);
  });

  it('terminates a partial frame before the error event when the upstream dies mid-frame', async () => {
    const sent = transcript.subarray(0, 500);
    assert.notEqual(sent.toString('utf8').slice(-2), '\n\n', 'the cut is inside a frame');
    const out = await run(upstream([sent], new Error('reset')), recordingTap().tap);
    assert.equal(
      text(out),
      sent.toString('utf8') +
        '\n\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"The upstream stream failed before the response was complete"}}\n\n',
    );
  });

  it('adds an error event when the upstream ends cleanly but without message_stop', async () => {
    const cut = transcript.indexOf('event: message_stop');
    const sent = transcript.subarray(0, cut);
    const { tap, calls } = recordingTap();
    const out = await run(upstream([sent]), tap);
    assert.equal(
      text(out),
      sent.toString('utf8') +
        'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The upstream stream ended before the response was complete"}}\n\n',
    );
    assert.deepEqual(calls.at(-1), ['finish', 'tool_use']);
  });

  it("forwards the upstream's own error event and adds nothing", async () => {
    const errorFrame =
      'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n';
    const head = transcript.subarray(0, transcript.indexOf('event: content_block_start'));
    const out = await run(upstream([head, Buffer.from(errorFrame)]), recordingTap().tap);
    assert.equal(text(out), head.toString('utf8') + errorFrame);
  });

  it('reports nothing but an error for an empty upstream', async () => {
    const { tap, calls } = recordingTap();
    const out = await run(upstream([]), tap);
    assert.deepEqual(out, [
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The upstream stream ended before the response was complete"}}\n\n',
    ]);
    assert.deepEqual(calls, []);
  });
});

describe('anthropic-messages passthrough tapJson', () => {
  it('reads model, normalised usage and stop reason from a Message body', () => {
    const { tap, calls } = recordingTap();
    passthrough.tapJson(
      {
        id: 'msg_01',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 12,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 30,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          output_tokens: 29,
          service_tier: 'standard',
        },
      },
      tap,
    );
    assert.deepEqual(calls, [
      ['model', 'claude-haiku-4-5-20251001'],
      ['usage', { inputTokens: 42, outputTokens: 29, cacheReadTokens: 30, cacheWriteTokens: 0 }],
      ['finish', 'end_turn'],
    ]);
  });

  it('ignores a body that is not a Message', () => {
    const { tap, calls } = recordingTap();
    passthrough.tapJson('nope', tap);
    passthrough.tapJson({ type: 'error', error: { type: 'api_error', message: 'x' } }, tap);
    assert.deepEqual(calls, []);
  });
});
