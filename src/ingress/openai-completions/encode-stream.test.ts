import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { decodeRequest } from './decode-request.ts';
import { encodeStream } from './encode-stream.ts';

const context: EncodeContext = { requestId: 'req_9', requestedModel: 'gpt-3.5-turbo-instruct' };

async function* from(events: StreamEvent[], failWith?: Error): AsyncGenerator<StreamEvent> {
  yield* events;
  if (failWith) throw failWith;
}

async function frames(events: AsyncIterable<StreamEvent>, ctx = context): Promise<string> {
  let text = '';
  for await (const frame of encodeStream(events, ctx)) text += frame;
  return text;
}

const head =
  '"id":"cmpl-9xYz","object":"text_completion","created":1765552663,"model":"gpt-4o-mini-2024-07-18"';
const frame = (text: string, finish: string | null = null) =>
  `data: {${head},"choices":[{"text":${JSON.stringify(text)},"index":0,"logprobs":null,"finish_reason":${
    finish === null ? 'null' : JSON.stringify(finish)
  }}]}\n\n`;

const textEvents: StreamEvent[] = [
  { type: 'response-start', id: 'chatcmpl-9xYz', model: 'gpt-4o-mini-2024-07-18', created: 1765552663 },
  { type: 'reasoning-delta', index: 0, delta: 'Thinking about it.' },
  { type: 'block-end', index: 0 },
  { type: 'text-delta', index: 1, delta: 'This is' },
  { type: 'text-delta', index: 1, delta: '' },
  { type: 'text-delta', index: 1, delta: ' a test.' },
  { type: 'block-end', index: 1 },
  { type: 'usage', usage: { inputTokens: 5, outputTokens: 7 } },
  { type: 'response-end', finishReason: 'length', rawFinishReason: 'length' },
];

describe('encodeStream', () => {
  it('sends one frame per text delta, a finish frame and [DONE], byte for byte', async () => {
    assert.equal(
      await frames(from(textEvents)),
      frame('This is') + frame(' a test.') + frame('', 'length') + 'data: [DONE]\n\n',
    );
  });

  it('adds a usage frame with empty choices when the client asked for usage', async () => {
    const usageFrame = `data: {${head},"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}\n\n`;
    assert.equal(
      await frames(from(textEvents), { ...context, includeUsage: true }),
      frame('This is') + frame(' a test.') + frame('', 'length') + usageFrame + 'data: [DONE]\n\n',
    );
  });

  it('prefers the usage on response-end over an earlier usage event', async () => {
    const events: StreamEvent[] = [
      ...textEvents.slice(0, -1),
      { type: 'response-end', finishReason: 'stop', usage: { inputTokens: 6, outputTokens: 8 } },
    ];
    const text = await frames(from(events), { ...context, includeUsage: true });
    assert.ok(text.includes('"usage":{"prompt_tokens":6,"completion_tokens":8,"total_tokens":14}'));
  });

  it('streams the prompt first when the request asked for echo', async () => {
    const request = decodeRequest({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say: ', echo: true });
    assert.equal(
      await frames(from(textEvents), { ...context, request }),
      frame('Say: ') + frame('This is') + frame(' a test.') + frame('', 'length') + 'data: [DONE]\n\n',
    );
  });

  it('drops tool calls and maps content-filter', async () => {
    const events: StreamEvent[] = [
      textEvents[0],
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'block-end', index: 0 },
      { type: 'response-end', finishReason: 'content-filter' },
    ];
    assert.equal(await frames(from(events)), frame('', 'content_filter') + 'data: [DONE]\n\n');
  });

  it('turns an error event into an error frame and sends no [DONE]', async () => {
    const events: StreamEvent[] = [
      textEvents[0],
      { type: 'text-delta', index: 0, delta: 'This is' },
      {
        type: 'error',
        error: new GatewayError('upstream_overloaded', 'Overloaded', { upstreamType: 'overloaded_error' }),
      },
      { type: 'text-delta', index: 0, delta: 'never sent' },
    ];
    assert.equal(
      await frames(from(events)),
      frame('This is') +
        'data: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":"upstream_overloaded"}}\n\n',
    );
  });

  it('ends with an error frame when the events stop without response-end', async () => {
    const broken =
      'data: {"error":{"message":"Upstream stream ended before the response finished","type":"api_error","param":null,"code":"upstream_stream_broken"}}\n\n';
    assert.equal(await frames(from(textEvents.slice(0, 4))), frame('This is') + broken);
  });

  it('ends with an error frame when the events throw', async () => {
    const text = await frames(from(textEvents.slice(0, 4), new Error('socket hang up')));
    assert.equal(
      text,
      frame('This is') +
        'data: {"error":{"message":"Upstream stream failed","type":"api_error","param":null,"code":"upstream_stream_broken"}}\n\n',
    );
  });

  it('falls back to the request id and requested model when no response-start came', async () => {
    const text = await frames(from([{ type: 'response-end', finishReason: 'stop' }]));
    const chunk = JSON.parse(text.split('\n\n')[0].slice('data: '.length));
    assert.equal(chunk.id, 'cmpl-req_9');
    assert.equal(chunk.model, 'gpt-3.5-turbo-instruct');
    assert.equal(typeof chunk.created, 'number');
    assert.ok(text.endsWith('data: [DONE]\n\n'));
  });
});
