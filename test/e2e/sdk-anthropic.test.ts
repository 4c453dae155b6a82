// The official @anthropic-ai/sdk against the real gateway, in front of fake Anthropic, OpenAI, Gemini and
// Bedrock upstreams: create, stream accumulation, count_tokens, errors. Thinking signatures across turns
// are in sdk-anthropic-thinking.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  anthropicError,
  anthropicErrorEvent,
  anthropicMessage,
  anthropicStream,
} from '../fakes/anthropic.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply } from '../fakes/gemini.ts';
import { openAICompletion, openAIError, openAIToolStreamChunks } from '../fakes/openai.ts';
import type { ProviderFleet } from './matrix-providers.ts';
import { CLAUDE, thinkingReply, useGateway, WEATHER_TOOL, withoutSdkFields } from './sdk-anthropic-shared.ts';

let client: Anthropic;
let anthropic: FakeServer;
let openai: FakeServer;
let gemini: FakeServer;
let fleet: ProviderFleet;
useGateway((setup) => {
  ({ client, fleet } = setup);
  [anthropic, openai, gemini] = (['anthropic', 'openai', 'gemini'] as const).map((name) =>
    setup.server(name),
  );
});

describe('messages.stream', () => {
  test('Anthropic upstream: finalMessage() is exactly the Message the upstream produced', async () => {
    anthropic.enqueue({ chunks: anthropicStream(thinkingReply), delayMs: 1 });
    const stream = client.messages.stream({
      model: CLAUDE,
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const texts: string[] = [];
    const thoughts: string[] = [];
    const jsonSnapshots: unknown[] = [];
    stream.on('text', (delta) => texts.push(delta));
    stream.on('thinking', (delta) => thoughts.push(delta));
    stream.on('inputJson', (_delta, snapshot) => jsonSnapshots.push(snapshot));
    const final = await stream.finalMessage();
    assert.deepEqual(withoutSdkFields(final), anthropicMessage(thinkingReply));
    assert.deepEqual(texts, ['Let me ', 'check.']);
    assert.deepEqual(thoughts, ['The user wants ', 'the weather in Paris.']);
    assert.deepEqual(jsonSnapshots.at(-1), { city: 'Paris', unit: 'celsius' });
    assert.equal((anthropic.requests[0].json as { stream: boolean }).stream, true);
  });

  test('OpenAI upstream: the streamed tool call accumulates to the same Message as the plain reply', async () => {
    openai.enqueue({
      chunks: openAIToolStreamChunks({
        calls: [
          { id: 'call_A', name: 'get_weather', argumentPieces: ['{"city":', '"Paris"}'] },
          { id: 'call_B', name: 'get_weather', argumentPieces: ['{"city":"Rome"}'] },
        ],
        includeUsage: true,
      }),
    });
    const request = {
      model: 'gpt-4o',
      max_tokens: 300,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user' as const, content: 'Weather in Paris and Rome?' }],
    };
    const streamed = await client.messages.stream(request).finalMessage();
    openai.enqueue(
      openAICompletion({
        id: 'chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62',
        model: 'gpt-4o-2024-08-06',
        content: null,
        toolCalls: [
          { id: 'call_A', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_B', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
        usage: { prompt: 44, completion: 16 },
      }),
    );
    const plain = await client.messages.create(request);
    assert.deepEqual(withoutSdkFields(streamed), plain);
    assert.deepEqual(plain.content, [
      { type: 'tool_use', id: 'call_A', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_B', name: 'get_weather', input: { city: 'Rome' } },
    ]);
    assert.equal(plain.stop_reason, 'tool_use');
    assert.deepEqual(openai.requests[0].json, {
      model: 'gpt-4o',
      max_completion_tokens: 300,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: WEATHER_TOOL.input_schema,
          },
        },
      ],
    });
  });
});

describe('messages.create', () => {
  test('Gemini upstream: text and a function call come back as Anthropic blocks; the request is translated', async () => {
    gemini.enqueue(
      geminiJsonReply({
        parts: [{ text: 'Checking.' }, { call: { name: 'get_weather', args: { city: 'Oslo' } } }],
        usage: { prompt: 30, candidates: 12 },
        responseId: 'gemini-resp-77',
      }),
    );
    const message = await client.messages.create({
      model: 'gemini-2.5-flash',
      max_tokens: 500,
      system: 'Be brief.',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    const call = message.content[1];
    assert.ok(call.type === 'tool_use');
    assert.deepEqual(message, {
      id: 'msg_gemini-resp-77',
      type: 'message',
      role: 'assistant',
      model: 'gemini-2.5-flash',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: message.usage,
    });
    assert.equal(message.usage.input_tokens, 30);
    assert.equal(message.usage.output_tokens, 12);
    assert.deepEqual(gemini.requests[0].json, {
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Current weather for a city',
              parameters: WEATHER_TOOL.input_schema,
            },
          ],
        },
      ],
      generationConfig: { maxOutputTokens: 500 },
    });
  });
});

describe('countTokens', () => {
  test('Anthropic: forwarded to the native endpoint with the body as sent', async () => {
    anthropic.enqueue({ body: { input_tokens: 1234 } });
    const counted = await client.messages.countTokens({
      model: CLAUDE,
      system: 'You are terse.',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.deepEqual(counted, { input_tokens: 1234 });
    const sent = anthropic.requests[0];
    assert.equal(sent.url, '/v1/messages/count_tokens');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-matrix');
    assert.deepEqual(sent.json, {
      model: CLAUDE,
      system: 'You are terse.',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
  });

  test('another provider: a local estimate that grows with the input, marked as such', async () => {
    const count = async (text: string) => {
      const { data, response } = await client.messages
        .countTokens({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: text }] })
        .withResponse();
      assert.equal(response.headers.get('x-switchyard-token-count'), 'estimate');
      return data.input_tokens;
    };
    const short = await count('hello');
    const long = await count('hello '.repeat(200));
    assert.ok(short > 0 && long > short + 150, `${short} then ${long}`);
    assert.equal(gemini.requests.length, 0);
  });
});

describe('errors are typed SDK errors with the Anthropic error type', () => {
  const ask = (model: string, stream = false) =>
    stream
      ? client.messages
          .stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] })
          .finalMessage()
      : client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('expected an error'),
      (error: unknown) => error,
    );

  test('an OpenAI 429 is a RateLimitError of type rate_limit_error', async () => {
    openai.enqueue({
      ...openAIError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded'),
      headers: { 'retry-after': '7' },
    });
    const error = await failure(ask('gpt-4o'));
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.status, 429);
    assert.equal(error.type, 'rate_limit_error');
    assert.equal(error.headers.get('retry-after'), '7');
    assert.deepEqual(error.error, {
      type: 'error',
      error: { type: 'rate_limit_error', message: error.apiMessage },
    });
  });

  test('a Gemini 400 is a BadRequestError of type invalid_request_error', async () => {
    gemini.enqueue({
      status: 400,
      body: { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } },
    });
    const error = await failure(ask('gemini-2.5-flash', true));
    assert.ok(error instanceof Anthropic.BadRequestError);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.apiMessage ?? '', /Invalid JSON payload/);
  });

  test('an Anthropic 529 passes through as overloaded_error', async () => {
    anthropic.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const error = await failure(ask(CLAUDE));
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 529);
    assert.equal(error.type, 'overloaded_error');
  });

  test('an unknown model is a NotFoundError of type not_found_error, with no upstream call', async () => {
    const error = await failure(ask('no-such-model-anywhere'));
    assert.ok(error instanceof Anthropic.NotFoundError);
    assert.equal(error.type, 'not_found_error');
    assert.equal(
      fleet.cases.reduce((sum, provider) => sum + provider.server.requests.length, 0),
      0,
    );
  });

  test('an invalid request is a BadRequestError before any upstream call', async () => {
    const error = await failure(
      client.messages.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] } as never),
    );
    assert.ok(error instanceof Anthropic.BadRequestError);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.apiMessage, 'max_tokens: field required');
    assert.equal(openai.requests.length, 0);
  });

  test('an error event mid-stream makes the SDK throw the typed error', async () => {
    const chunks = anthropicStream({ text: ['partial ', 'answer'] });
    anthropic.enqueue({
      chunks: [...chunks.slice(0, 4), anthropicErrorEvent('overloaded_error', 'Overloaded')],
    });
    const error = await failure(ask(CLAUDE, true));
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.type, 'overloaded_error');
  });

  test('an upstream that dies mid-stream on a translated route ends with an error event, never a clean stop', async () => {
    const chunks = openAIToolStreamChunks({
      calls: [{ id: 'call_X', name: 'get_weather', argumentPieces: ['{"ci', 'ty":"Paris"}'] }],
      includeUsage: true,
    });
    openai.enqueue({ chunks, dieAfterChunks: 2 });
    const error = await failure(ask('gpt-4o', true));
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal(error.type, 'api_error');
  });
});
