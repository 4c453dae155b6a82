import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { encodeJsonArrayStream, encodeSseStream } from './frame-stream.ts';

const context = { requestId: 'req_1', requestedModel: 'gemini-2.5-flash' };

async function* from(events: StreamEvent[], failure?: Error): AsyncGenerator<StreamEvent> {
  yield* events;
  if (failure) throw failure;
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of stream) out.push(frame);
  return out;
}

function frame(chunk: unknown): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

function chunk(parts: unknown[]): unknown {
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0 }],
    modelVersion: 'gemini-3-pro-preview',
    responseId: 'resp_9',
  };
}

test('text stream: a chunk per delta, then finishReason and usage on a last chunk', async () => {
  const frames = await collect(
    encodeSseStream(
      from([
        { type: 'response-start', id: 'resp_9', model: 'gemini-3-pro-preview' },
        { type: 'text-delta', index: 0, delta: 'There are' },
        { type: 'text-delta', index: 0, delta: '' },
        { type: 'text-delta', index: 0, delta: ' 3.' },
        { type: 'block-end', index: 0 },
        { type: 'usage', usage: { inputTokens: 9, outputTokens: 5 } },
        {
          type: 'response-end',
          finishReason: 'stop',
          usage: { inputTokens: 9, outputTokens: 200, reasoningTokens: 190 },
        },
      ]),
      context,
    ),
  );
  assert.deepEqual(frames, [
    frame(chunk([{ text: 'There are' }])),
    frame(chunk([{ text: ' 3.' }])),
    frame({
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 9,
        candidatesTokenCount: 10,
        totalTokenCount: 209,
        thoughtsTokenCount: 190,
      },
      modelVersion: 'gemini-3-pro-preview',
      responseId: 'resp_9',
    }),
  ]);
  assert.ok(frames.every((f) => f.endsWith('}\r\n\r\n') && f.startsWith('data: {')));
});

test('thought stream: thought parts, the signature at block end, usage from the usage event', async () => {
  const frames = await collect(
    encodeSseStream(
      from([
        { type: 'response-start', id: 'resp_9', model: 'gemini-3-pro-preview' },
        { type: 'reasoning-delta', index: 0, delta: 'Counting r' },
        { type: 'reasoning-delta', index: 0, delta: 's...' },
        { type: 'reasoning-signature', index: 0, signature: 'sig-think' },
        { type: 'block-end', index: 0 },
        { type: 'text-delta', index: 1, delta: 'Three.' },
        { type: 'block-end', index: 1 },
        { type: 'reasoning-signature', index: 2, signature: 'sig-tail' },
        { type: 'block-end', index: 2 },
        {
          type: 'usage',
          usage: { inputTokens: 9, outputTokens: 30, reasoningTokens: 28, cacheReadTokens: 4 },
        },
        { type: 'response-end', finishReason: 'length', rawFinishReason: 'max_tokens' },
      ]),
      context,
    ),
  );
  assert.deepEqual(frames, [
    frame(chunk([{ text: 'Counting r', thought: true }])),
    frame(chunk([{ text: 's...', thought: true }])),
    frame(chunk([{ text: '', thought: true, thoughtSignature: 'sig-think' }])),
    frame(chunk([{ text: 'Three.' }])),
    frame(chunk([{ text: '', thoughtSignature: 'sig-tail' }])),
    frame({
      candidates: [
        { content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: 9,
        candidatesTokenCount: 2,
        totalTokenCount: 39,
        cachedContentTokenCount: 4,
        thoughtsTokenCount: 28,
      },
      modelVersion: 'gemini-3-pro-preview',
      responseId: 'resp_9',
    }),
  ]);
});

test('function call: argument deltas are held and sent as one whole functionCall part at block end', async () => {
  const frames = await collect(
    encodeSseStream(
      from([
        { type: 'response-start', id: 'resp_9', model: 'gemini-3-pro-preview' },
        { type: 'tool-call-start', index: 0, id: 'call_1', name: 'weather', signature: 'fc-sig' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"San Francisco"}' },
        { type: 'tool-call-start', index: 1, id: 'call_2', name: 'time' },
        { type: 'block-end', index: 0 },
        {
          type: 'response-end',
          finishReason: 'tool-calls',
          usage: { inputTokens: 29, outputTokens: 60, reasoningTokens: 45 },
        },
      ]),
      context,
    ),
  );
  assert.deepEqual(frames, [
    frame(
      chunk([
        {
          functionCall: { name: 'weather', args: { location: 'San Francisco' } },
          thoughtSignature: 'fc-sig',
        },
      ]),
    ),
    // a call still open at response-end is flushed whole before the last chunk
    frame(chunk([{ functionCall: { name: 'time', args: {} } }])),
    frame({
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 29,
        candidatesTokenCount: 15,
        totalTokenCount: 89,
        thoughtsTokenCount: 45,
      },
      modelVersion: 'gemini-3-pro-preview',
      responseId: 'resp_9',
    }),
  ]);
});

test('an error event ends the stream with a Google error body, never a clean finish', async () => {
  const frames = await collect(
    encodeSseStream(
      from([
        { type: 'response-start', id: 'resp_9', model: 'gemini-3-pro-preview' },
        { type: 'text-delta', index: 0, delta: 'Hel' },
        {
          type: 'error',
          error: new GatewayError('upstream_overloaded', 'Overloaded', { status: 529 }),
        },
        { type: 'text-delta', index: 0, delta: 'never sent' },
      ]),
      context,
    ),
  );
  assert.deepEqual(frames, [
    frame(chunk([{ text: 'Hel' }])),
    frame({ error: { code: 529, message: 'Overloaded', status: 'UNAVAILABLE' } }),
  ]);
});

test('a stream that ends without response-end, or throws, ends with an error body', async () => {
  const ended = await collect(
    encodeSseStream(from([{ type: 'text-delta', index: 0, delta: 'Hi' }]), context),
  );
  assert.deepEqual(ended, [
    frame({
      candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, index: 0 }],
      modelVersion: 'gemini-2.5-flash',
      responseId: 'req_1',
    }),
    frame({
      error: {
        code: 502,
        message: 'The response stream ended before the model finished',
        status: 'UNAVAILABLE',
      },
    }),
  ]);
  const thrown = await collect(encodeSseStream(from([], new Error('socket hang up, key=secret')), context));
  assert.deepEqual(thrown, [
    frame({
      error: {
        code: 502,
        message: 'The response stream failed before the model finished',
        status: 'UNAVAILABLE',
      },
    }),
  ]);
  const timedOut = await collect(
    encodeSseStream(
      from([], new GatewayError('upstream_timeout', 'Upstream timed out', { retryAfter: 2 })),
      context,
    ),
  );
  assert.deepEqual(timedOut, [
    frame({
      error: {
        code: 504,
        message: 'Upstream timed out',
        status: 'DEADLINE_EXCEEDED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }],
      },
    }),
  ]);
});

test('JSON array form (no alt=sse): "[", chunks joined by ",\\r\\n", "]"; it parses as one array', async () => {
  const events: StreamEvent[] = [
    { type: 'response-start', id: 'resp_9', model: 'gemini-3-pro-preview' },
    { type: 'text-delta', index: 0, delta: 'Hi' },
    { type: 'response-end', finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 1 } },
  ];
  const pieces = await collect(encodeJsonArrayStream(from(events), context));
  const last = {
    candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1, totalTokenCount: 3 },
    modelVersion: 'gemini-3-pro-preview',
    responseId: 'resp_9',
  };
  assert.deepEqual(pieces, [
    `[${JSON.stringify(chunk([{ text: 'Hi' }]))}`,
    `,\r\n${JSON.stringify(last)}`,
    ']',
  ]);
  assert.deepEqual(JSON.parse(pieces.join('')), [chunk([{ text: 'Hi' }]), last]);
  const broken = await collect(encodeJsonArrayStream(from([]), context));
  assert.deepEqual(JSON.parse(broken.join('')), [
    {
      error: {
        code: 502,
        message: 'The response stream ended before the model finished',
        status: 'UNAVAILABLE',
      },
    },
  ]);
});
