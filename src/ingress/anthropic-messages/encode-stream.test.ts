import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import codec from './index.ts';

const context: EncodeContext = { requestId: 'req_7', requestedModel: 'claude-sonnet-4-5' };

async function* from(events: StreamEvent[], then?: Error): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
  if (then) throw then;
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<string[]> {
  const frames: string[] = [];
  for await (const frame of codec.encodeStream(events, context)) frames.push(frame);
  return frames;
}

/** one expected frame; JSON key order matters, as on the wire */
const f = (data: { type: string } & Record<string, unknown>) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

const ZERO_USAGE = {
  input_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 0,
};
const start = (id = 'msg_01abc', model = 'claude-sonnet-4-5-20250929') =>
  f({
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: ZERO_USAGE,
    },
  });
const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

describe('anthropic-messages encodeStream', () => {
  it('encodes a text stream frame by frame', async () => {
    const frames = await collect(
      from([
        { type: 'response-start', id: 'msg_01abc', model: 'claude-sonnet-4-5-20250929' },
        { type: 'text-delta', index: 0, delta: 'Hello' },
        { type: 'text-delta', index: 0, delta: ' there' },
        { type: 'block-end', index: 0 },
        { type: 'usage', usage: { inputTokens: 11, outputTokens: 6 } },
        { type: 'response-end', finishReason: 'stop', rawFinishReason: 'end_turn' },
      ]),
    );
    assert.deepEqual(frames, [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_01abc","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}\n\n',
      PING,
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ]);
  });

  it('encodes thinking with its signature, then text; closes blocks left open; usage excludes cache', async () => {
    const frames = await collect(
      from([
        { type: 'response-start', id: 'gen-1', model: 'claude-sonnet-4-5-20250929' },
        { type: 'reasoning-delta', index: 0, delta: 'Let me think' },
        { type: 'reasoning-delta', index: 0, delta: ' carefully.' },
        { type: 'reasoning-signature', index: 0, signature: 'EqQBCgIYAhIM' },
        { type: 'block-end', index: 0 },
        { type: 'text-delta', index: 1, delta: '42' },
        {
          type: 'response-end',
          finishReason: 'length',
          usage: { inputTokens: 500, outputTokens: 90, cacheReadTokens: 400, cacheWriteTokens: 0 },
        },
      ]),
    );
    assert.deepEqual(frames, [
      start('msg_gen-1'),
      PING,
      f({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
      f({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'Let me think' },
      }),
      f({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: ' carefully.' },
      }),
      f({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' },
      }),
      f({ type: 'content_block_stop', index: 0 }),
      f({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      f({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '42' } }),
      f({ type: 'content_block_stop', index: 1 }),
      f({
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: {
          input_tokens: 100,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 400,
          output_tokens: 90,
        },
      }),
      f({ type: 'message_stop' }),
    ]);
  });

  it('encodes tool use with partial JSON, renumbering canonical indices in start order', async () => {
    const frames = await collect(
      from([
        { type: 'response-start', id: 'msg_t', model: 'gpt-4o' },
        { type: 'text-delta', index: 0, delta: 'Checking.' },
        { type: 'block-end', index: 0 },
        { type: 'tool-call-start', index: 3, id: 'call_1', name: 'get_weather' },
        { type: 'tool-call-delta', index: 3, argumentsDelta: '{"locati' },
        { type: 'tool-call-delta', index: 3, argumentsDelta: 'on": "Paris"}' },
        { type: 'block-end', index: 3 },
        { type: 'tool-call-start', index: 5, id: 'call_2', name: 'now' },
        { type: 'block-end', index: 5 },
        { type: 'response-end', finishReason: 'tool-calls', usage: { inputTokens: 30, outputTokens: 12 } },
      ]),
    );
    assert.deepEqual(frames, [
      start('msg_t', 'gpt-4o'),
      PING,
      f({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      f({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } }),
      f({ type: 'content_block_stop', index: 0 }),
      f({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} },
      }),
      f({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"locati' },
      }),
      f({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: 'on": "Paris"}' },
      }),
      f({ type: 'content_block_stop', index: 1 }),
      f({
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'call_2', name: 'now', input: {} },
      }),
      f({ type: 'content_block_stop', index: 2 }),
      f({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: {
          input_tokens: 30,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 12,
        },
      }),
      f({ type: 'message_stop' }),
    ]);
  });

  it('encodes a redacted thinking block', async () => {
    const frames = await collect(
      from([
        { type: 'response-start', id: 'msg_r', model: 'm' },
        { type: 'reasoning-signature', index: 0, signature: '', redactedData: 'opaque' },
        { type: 'block-end', index: 0 },
        { type: 'response-end', finishReason: 'stop' },
      ]),
    );
    assert.deepEqual(frames.slice(2, 4), [
      f({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'redacted_thinking', data: 'opaque' },
      }),
      f({ type: 'content_block_stop', index: 0 }),
    ]);
  });

  it('turns an error event mid-stream into an Anthropic error event and stops', async () => {
    let upstreamClosed = false;
    async function* upstream(): AsyncGenerator<StreamEvent> {
      try {
        yield { type: 'response-start', id: 'msg_e', model: 'm' };
        yield { type: 'text-delta', index: 0, delta: 'Hal' };
        yield {
          type: 'error',
          error: new GatewayError('upstream_overloaded', 'Overloaded', { upstreamType: 'overloaded_error' }),
        };
        yield { type: 'text-delta', index: 0, delta: 'never sent' };
      } finally {
        upstreamClosed = true;
      }
    }
    const frames = await collect(upstream());
    assert.deepEqual(frames, [
      start('msg_e', 'm'),
      PING,
      f({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      f({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hal' } }),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    ]);
    assert.equal(upstreamClosed, true, 'the upstream iterator is closed once the stream is over');
  });

  it('turns a throwing event source into an error event', async () => {
    const rateLimited = new GatewayError('rate_limited', 'Too many requests');
    assert.deepEqual(
      await collect(from([{ type: 'response-start', id: 'msg_x', model: 'm' }], rateLimited)),
      [
        start('msg_x', 'm'),
        PING,
        f({ type: 'error', error: { type: 'rate_limit_error', message: 'Too many requests' } }),
      ],
    );
    assert.deepEqual(await collect(from([], new TypeError('secret internals'))), [
      f({ type: 'error', error: { type: 'api_error', message: 'The response stream failed' } }),
    ]);
  });

  it('never ends cleanly without response-end', async () => {
    const frames = await collect(
      from([
        { type: 'response-start', id: 'msg_x', model: 'm' },
        { type: 'text-delta', index: 0, delta: 'cut' },
      ]),
    );
    assert.deepEqual(
      frames.at(-1),
      f({
        type: 'error',
        error: { type: 'api_error', message: 'The upstream stream ended before the response was complete' },
      }),
    );
    assert.equal(frames.filter((frame) => frame.startsWith('event: message_stop')).length, 0);
  });

  it('synthesises message_start when content comes before response-start', async () => {
    const frames = await collect(
      from([
        { type: 'text-delta', index: 0, delta: 'x' },
        { type: 'response-end', finishReason: 'stop' },
      ]),
    );
    assert.deepEqual(frames, [
      start('msg_req_7', 'claude-sonnet-4-5'),
      PING,
      f({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      f({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }),
      f({ type: 'content_block_stop', index: 0 }),
      f({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: ZERO_USAGE,
      }),
      f({ type: 'message_stop' }),
    ]);
  });
});
