import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttemptTap } from '../../core/adapters.ts';
import type { GatewayError } from '../../core/errors.ts';
import { tapStreamByEvent } from './passthrough-by-event.ts';

const tap: AttemptTap = { onFirstByte() {}, onUsage() {}, onFinish() {}, onResponseModel() {} };
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function run(chunks: string[], ended = true) {
  const broken: GatewayError[] = [];
  const out: string[] = [];
  const bytes = (async function* () {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  })();
  const seen: string[] = [];
  const stream = tapStreamByEvent(
    bytes,
    tap,
    (error) => broken.push(error),
    (message) => seen.push(message.event ?? ''),
    () => ended,
  );
  for await (const piece of stream) out.push(piece);
  return { out, broken, seen };
}

const start = frame('message_start', { type: 'message_start', message: { id: 'msg_1' } });
const textDelta = frame('content_block_delta', {
  type: 'content_block_delta',
  index: 0,
  delta: { type: 'text_delta', text: 'Hi' },
});
const toolStart = frame('content_block_start', {
  type: 'content_block_start',
  index: 1,
  content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
});
const toolDelta = frame('content_block_delta', {
  type: 'content_block_delta',
  index: 1,
  delta: { type: 'input_json_delta', partial_json: '{}' },
});
const toolStop = frame('content_block_stop', { type: 'content_block_stop', index: 1 });
const messageDelta = frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' } });

describe('Anthropic passthrough, event by event (a failover is possible)', () => {
  test('whole events only: a frame split across chunks goes out once complete', async () => {
    const { out, broken } = await run([start + textDelta.slice(0, 20), textDelta.slice(20)]);
    assert.deepEqual(out, [start, textDelta]);
    assert.deepEqual(broken, []);
  });

  test('a tool_use block is held until the next event outside it', async () => {
    const { out } = await run([start, toolStart, toolDelta, toolStop, messageDelta]);
    assert.deepEqual(out, [start, toolStart + toolDelta + toolStop + messageDelta]);
  });

  test('a stream that dies inside a tool_use block never shows it', async () => {
    const { out, broken } = await run([start, toolStart, toolDelta], false);
    assert.deepEqual(out, [start]);
    assert.equal(broken[0].code, 'upstream_stream_broken');
  });

  test('a retryable error event is reported, not forwarded; another error event is the answer', async () => {
    const overloaded = frame('error', {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const first = await run([start, overloaded]);
    assert.deepEqual(first.out, [start]);
    assert.deepEqual(
      first.broken.map((error) => [error.code, error.status, error.message]),
      [['upstream_overloaded', 529, 'Overloaded']],
    );
    const invalid = frame('error', {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'no' },
    });
    const second = await run([start, invalid]);
    assert.deepEqual(second.out, [start, invalid]);
    assert.deepEqual(second.broken, []);
  });

  test('malformed data is a broken stream', async () => {
    const { out, broken } = await run([start, 'event: content_block_delta\ndata: {"type": "con\n\n'], false);
    assert.deepEqual(out, [start]);
    assert.equal(broken[0].message, 'Upstream sent malformed JSON');
  });
});
