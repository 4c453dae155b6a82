// The encoded output, served over HTTP, read back by the official @google/genai SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiError, type Content, GoogleGenAI, ThinkingLevel, Type } from '@google/genai';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import type { CanonicalRequest, CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import gemini, { decodeCountTokensRequest, encodeCountTokensResponse } from './index.ts';

let server: FakeServer;
let ai: GoogleGenAI;
const context = { requestId: 'req_1', requestedModel: 'gemini-2.5-flash' };

before(async () => {
  server = await startFakeServer();
  ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: server.url } });
});
after(() => server.close());

/** Decodes each request the SDK sends with the codec, as the gateway would, then answers. */
function serve(reply: { status?: number; body?: unknown; chunks?: string[] }): CanonicalRequest[] {
  const decoded: CanonicalRequest[] = [];
  server.enqueue((request) => {
    const path = new URL(request.url, server.url).pathname;
    decoded.push(
      path.endsWith(':countTokens')
        ? decodeCountTokensRequest(request.json, path)
        : gemini.decodeRequest(request.json, {
            requestId: 'req_1',
            headers: request.headers,
            path,
            query: new URL(request.url, server.url).searchParams,
          }),
    );
    return reply;
  });
  return decoded;
}

async function frames(events: StreamEvent[]): Promise<string[]> {
  async function* source() {
    yield* events;
  }
  const out: string[] = [];
  for await (const frame of gemini.encodeStream(source(), context)) out.push(frame);
  return out;
}

const toolReply: CanonicalResponse = {
  id: 'resp_1',
  model: 'gemini-2.5-flash-001',
  content: [
    {
      type: 'reasoning',
      text: 'They want the weather.',
      signature: 'thought-sig',
      signatureProtocol: 'gemini',
    },
    { type: 'text', text: 'Checking both cities.' },
    { type: 'tool-call', id: 'x1', name: 'weather', arguments: '{"city":"Paris"}', signature: 'fc-sig' },
    { type: 'tool-call', id: 'x2', name: 'weather', arguments: '{"city":"Rome"}' },
  ],
  finishReason: 'tool-calls',
  usage: { inputTokens: 50, outputTokens: 30, reasoningTokens: 10 },
};

test('generateContent: the SDK reads text, function calls and usage; its request decodes', async () => {
  const decoded = serve({ body: gemini.encodeResponse(toolReply, context) });
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: 'Weather in Paris and Rome?',
    config: {
      systemInstruction: 'You are a weather bot.',
      temperature: 0.3,
      maxOutputTokens: 500,
      thinkingConfig: { thinkingBudget: 256, includeThoughts: true },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'weather',
              description: 'Get the weather',
              parameters: {
                type: Type.OBJECT,
                properties: { city: { type: Type.STRING } },
                required: ['city'],
              },
            },
          ],
        },
      ],
    },
  });
  assert.equal(response.text, 'Checking both cities.');
  assert.deepEqual(response.functionCalls, [
    { name: 'weather', args: { city: 'Paris' } },
    { name: 'weather', args: { city: 'Rome' } },
  ]);
  assert.deepEqual(response.usageMetadata, {
    promptTokenCount: 50,
    candidatesTokenCount: 20,
    totalTokenCount: 80,
    thoughtsTokenCount: 10,
  });
  assert.equal(response.modelVersion, 'gemini-2.5-flash-001');
  assert.equal(response.responseId, 'resp_1');
  assert.equal(response.candidates?.[0].finishReason, 'STOP');

  const sent = server.requests.at(-1)!;
  assert.equal(sent.url, '/v1beta/models/gemini-2.5-flash:generateContent');
  assert.equal(sent.headers['x-goog-api-key'], 'test-key');
  assert.deepEqual(decoded, [
    {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are a weather bot.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      ],
      tools: [
        {
          name: 'weather',
          description: 'Get the weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      temperature: 0.3,
      maxOutputTokens: 500,
      reasoning: { budgetTokens: 256, includeThoughts: true },
      stream: false,
      extra: {},
    },
  ]);
});

test('the SDK echoes the model turn back: signatures survive and responses find their calls', async () => {
  const first = gemini.encodeResponse(toolReply, context) as { candidates: Array<{ content: Content }> };
  const decoded = serve({
    body: gemini.encodeResponse(
      { ...toolReply, content: [{ type: 'text', text: 'Paris 18°C, Rome 24°C.' }], finishReason: 'stop' },
      context,
    ),
  });
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: [
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      first.candidates[0].content,
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { temperature: 18 } } },
          { functionResponse: { name: 'weather', response: { temperature: 24 } } },
        ],
      },
    ],
  });
  assert.equal(response.text, 'Paris 18°C, Rome 24°C.');
  assert.deepEqual(decoded[0].messages.slice(1), [
    {
      role: 'assistant',
      content: [
        {
          type: 'reasoning',
          text: 'They want the weather.',
          signature: 'thought-sig',
          signatureProtocol: 'gemini',
        },
        { type: 'text', text: 'Checking both cities.' },
        {
          type: 'tool-call',
          id: 'call_1_0',
          name: 'weather',
          arguments: '{"city":"Paris"}',
          signature: 'fc-sig',
        },
        { type: 'tool-call', id: 'call_1_1', name: 'weather', arguments: '{"city":"Rome"}' },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1_0',
          toolName: 'weather',
          content: [{ type: 'text', text: '{"temperature":18}' }],
        },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1_1',
          toolName: 'weather',
          content: [{ type: 'text', text: '{"temperature":24}' }],
        },
      ],
    },
  ]);
});

test('generateContentStream: chunks add up to the text, the function call and the final usage', async () => {
  const decoded = serve({
    chunks: await frames([
      { type: 'response-start', id: 'resp_2', model: 'gemini-2.5-flash' },
      { type: 'reasoning-delta', index: 0, delta: 'Thinking about it.' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'Sure, ' },
      { type: 'text-delta', index: 1, delta: 'checking Paris.' },
      { type: 'block-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'c1', name: 'weather' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '"Paris"}' },
      { type: 'block-end', index: 2 },
      {
        type: 'response-end',
        finishReason: 'tool-calls',
        usage: { inputTokens: 40, outputTokens: 25, reasoningTokens: 5 },
      },
    ]),
  });
  const stream = await ai.models.generateContentStream({
    model: 'gemini-2.5-flash',
    contents: 'Weather in Paris?',
  });
  let text = '';
  const calls: unknown[] = [];
  const thoughts: string[] = [];
  let last: Awaited<ReturnType<typeof stream.next>>['value'];
  for await (const chunk of stream) {
    text += chunk.text ?? '';
    calls.push(...(chunk.functionCalls ?? []));
    for (const part of chunk.candidates?.[0].content?.parts ?? [])
      if (part.thought) thoughts.push(part.text ?? '');
    last = chunk;
  }
  assert.equal(text, 'Sure, checking Paris.');
  assert.deepEqual(calls, [{ name: 'weather', args: { city: 'Paris' } }]);
  assert.deepEqual(thoughts, ['Thinking about it.']);
  assert.equal(last?.candidates?.[0].finishReason, 'STOP');
  assert.deepEqual(last?.usageMetadata, {
    promptTokenCount: 40,
    candidatesTokenCount: 20,
    totalTokenCount: 65,
    thoughtsTokenCount: 5,
  });
  assert.equal(server.requests.at(-1)!.url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  assert.equal(decoded[0].stream, true);
});

test('a stream that fails midway makes the SDK throw ApiError with the status', async () => {
  serve({
    chunks: await frames([
      { type: 'response-start', id: 'resp_3', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'Partial' },
      { type: 'error', error: new GatewayError('upstream_unavailable', 'Upstream went away') },
    ]),
  });
  const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
  const texts: string[] = [];
  await assert.rejects(
    async () => {
      for await (const chunk of stream) texts.push(chunk.text ?? '');
    },
    (error: unknown) =>
      error instanceof ApiError &&
      error.status === 503 &&
      /UNAVAILABLE/.test(error.message) &&
      /Upstream went away/.test(error.message),
  );
  assert.deepEqual(texts, ['Partial']);
});

test('an error reply becomes the SDK error with the status', async () => {
  const { status, body } = gemini.encodeError(
    new GatewayError('rate_limited', 'Quota exceeded', { retryAfter: 20 }),
  );
  serve({ status, body });
  await assert.rejects(
    ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' }),
    (error: unknown) =>
      error instanceof ApiError &&
      error.status === 429 &&
      JSON.parse(error.message).error.status === 'RESOURCE_EXHAUSTED' &&
      JSON.parse(error.message).error.details[0].retryDelay === '20s',
  );
});

test('countTokens: the SDK reads totalTokens; its request decodes', async () => {
  const decoded = serve({ body: encodeCountTokensResponse(31) });
  const result = await ai.models.countTokens({
    model: 'gemini-2.0-flash',
    contents: 'How many tokens is this?',
  });
  assert.equal(result.totalTokens, 31);
  assert.equal(server.requests.at(-1)!.url, '/v1beta/models/gemini-2.0-flash:countTokens');
  assert.deepEqual(decoded[0].messages, [
    { role: 'user', content: [{ type: 'text', text: 'How many tokens is this?' }] },
  ]);
});

test('JSON mode from the SDK decodes to a json-schema response format', async () => {
  const decoded = serve({
    body: gemini.encodeResponse(
      { ...toolReply, content: [{ type: 'text', text: '{"city":"Paris"}' }] },
      context,
    ),
  });
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: 'Pick a city',
    config: {
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      thinkingConfig: { thinkingLevel: ThinkingLevel.LOW },
    },
  });
  assert.deepEqual(JSON.parse(response.text ?? ''), { city: 'Paris' });
  assert.deepEqual(decoded[0].responseFormat, {
    type: 'json-schema',
    name: 'response',
    schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  });
  assert.deepEqual(decoded[0].reasoning, { effort: 'low' });
});

test('a passthrough stream that breaks makes the SDK throw instead of ending cleanly', async () => {
  const upstream = Buffer.from(
    'data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"p1"}\r\n\r\n',
  );
  async function* dying() {
    yield upstream;
    throw new Error('socket closed');
  }
  const tap = { onFirstByte() {}, onUsage() {}, onFinish() {}, onResponseModel() {} };
  const out: string[] = [];
  for await (const piece of gemini.passthrough!.tapStream(dying(), tap, {
    requestId: 'r',
    stripUsage: false,
  })) {
    out.push(typeof piece === 'string' ? piece : Buffer.from(piece).toString());
  }
  serve({ chunks: out });
  const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
  await assert.rejects(
    async () => {
      for await (const _ of stream);
    },
    (error: unknown) => error instanceof ApiError && error.status === 502,
  );
});
