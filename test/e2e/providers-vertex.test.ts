// OpenAI SDK → gateway → Vertex AI, for Gemini models (Gemini protocol) and Claude models (Anthropic Messages
// through rawPredict), against a fake Vertex upstream and a fake Google token endpoint that checks the
// service account's signed JWT.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { CLIENT_EMAIL, makeServiceAccount, tokenEndpoint } from '../../src/providers/vertex/test-helpers.ts';
import { anthropicErrorEvent, anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import {
  geminiErrorBody,
  geminiJsonReply,
  geminiResponse,
  geminiSseFrames,
  geminiThinkingStream,
  geminiToolCallStream,
} from '../fakes/gemini.ts';
import { startTestGateway, type TestGateway, tokenUsage } from '../helpers/gateway.ts';
import {
  CITY,
  CITY_FORMAT,
  CITY_SCHEMA,
  collect,
  finishReasons,
  firstToolCall,
  gatewayClient,
  reasoningDeltas,
  streamFailure,
  toolCallDeltas,
  WEATHER_ARGS,
  WEATHER_PARAMETERS,
  WEATHER_TOOL,
  warningsOf,
} from '../helpers/provider-scenarios.ts';

const GEMINI = 'gemini-2.5-pro';
const CLAUDE = 'claude-sonnet-4-5@20250929';
const MODELS = '/v1/projects/demo-project/locations/us-east5/publishers';
const ARGS_JSON = JSON.stringify(WEATHER_ARGS);

describe('OpenAI SDK → Vertex AI (Gemini and Claude models)', () => {
  let vertex: FakeServer;
  let google: FakeServer;
  let tokens: ReturnType<typeof tokenEndpoint>;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    [vertex, google] = await Promise.all([startFakeServer(), startFakeServer()]);
    const account = makeServiceAccount(`${google.url}/token`);
    tokens = tokenEndpoint(account.publicKey);
    google.setFallback(tokens.reply);
    gateway = await startTestGateway({
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: account.file,
        VERTEX_PROJECT: 'demo-project',
        VERTEX_LOCATION: 'us-east5',
        VERTEX_BASE_URL: vertex.url,
      },
    });
    client = gatewayClient(gateway.url);
  });
  after(async () => {
    await gateway.close();
    await Promise.all([vertex.close(), google.close()]);
  });
  beforeEach(() => vertex.reset());

  test('the service account JWT is signed and exchanged once; its token authorises every call', async () => {
    vertex.enqueue(geminiJsonReply({ parts: [{ text: 'one' }] }), {
      body: anthropicMessage({ text: 'two' }),
    });
    await client.chat.completions.create({
      model: `vertex/${GEMINI}`,
      messages: [{ role: 'user', content: 'x' }],
    });
    await client.chat.completions.create({
      model: `vertex/${CLAUDE}`,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(tokens.issued(), 1);
    const claims = tokens.assertions[0].claims;
    assert.equal(claims.iss, CLIENT_EMAIL);
    assert.equal(claims.aud, `${google.url}/token`);
    assert.deepEqual(
      vertex.requests.map((request) => [request.url, request.headers.authorization]),
      [
        [`${MODELS}/google/models/${GEMINI}:generateContent`, 'Bearer token-1'],
        [`${MODELS}/anthropic/models/${CLAUDE}:rawPredict`, 'Bearer token-1'],
      ],
    );
  });

  describe('Gemini models', () => {
    const model = `vertex/${GEMINI}`;

    test('a streamed function call arrives as OpenAI deltas; usage and finish exact', async () => {
      vertex.enqueue(
        geminiToolCallStream([{ name: 'get_weather', args: WEATHER_ARGS }], {
          usage: { prompt: 30, candidates: 6, cached: 10 },
        }),
      );
      const runner = client.chat.completions.stream({
        model,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [WEATHER_TOOL],
      });
      const chunks = await collect(runner);
      const final = await runner.finalChatCompletion();
      const deltas = toolCallDeltas(chunks) as Array<{ id?: string }>;
      const id = deltas[0]?.id ?? '';
      assert.deepEqual(deltas, [
        { index: 0, id, type: 'function', function: { name: 'get_weather', arguments: '' } },
        { index: 0, function: { arguments: ARGS_JSON } },
      ]);
      assert.deepEqual(firstToolCall(final.choices[0].message), {
        id,
        name: 'get_weather',
        args: WEATHER_ARGS,
      });
      assert.deepEqual(finishReasons(chunks), ['tool_calls']);
      assert.deepEqual(tokenUsage(final.usage), {
        prompt_tokens: 30,
        completion_tokens: 6,
        total_tokens: 36,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 0 },
      });
      const sent = vertex.requests[0];
      assert.equal(sent.url, `${MODELS}/google/models/${GEMINI}:streamGenerateContent?alt=sse`);
      assert.deepEqual(sent.json, {
        contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Current weather for a city',
                parameters: WEATHER_PARAMETERS,
              },
            ],
          },
        ],
      });
    });

    test('response_format json_schema: responseSchema upstream, parseable JSON back', async () => {
      vertex.enqueue(geminiJsonReply({ parts: [{ text: JSON.stringify(CITY) }] }));
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Facts about Paris' }],
        response_format: CITY_FORMAT,
      });
      assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
      assert.equal(completion.choices[0].finish_reason, 'stop');
      const config = (vertex.requests[0].json as { generationConfig: Record<string, unknown> })
        .generationConfig;
      assert.equal(config.responseMimeType, 'application/json');
      assert.deepEqual(config.responseSchema, {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'population'],
      });
    });

    test('thoughts arrive as reasoning_content', async () => {
      vertex.enqueue(
        geminiThinkingStream(['Hmm, ', 'France.'], ['Paris.'], {
          usage: { prompt: 4, candidates: 1, thoughts: 9 },
        }),
      );
      const runner = client.chat.completions.stream({
        model,
        reasoning_effort: 'medium',
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Capital of France?' }],
      });
      const chunks = await collect(runner);
      const final = await runner.finalChatCompletion();
      assert.deepEqual(reasoningDeltas(chunks), ['Hmm, ', 'France.']);
      assert.equal(final.choices[0].message.content, 'Paris.');
      assert.deepEqual(
        [final.usage?.completion_tokens, final.usage?.completion_tokens_details?.reasoning_tokens],
        [10, 9],
      );
      assert.deepEqual((vertex.requests[0].json as { generationConfig: unknown }).generationConfig, {
        thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
      });
    });

    test('a mid-stream error frame makes the SDK throw; unsupported parameters are warned about', async () => {
      vertex.enqueue(
        {
          chunks: geminiSseFrames([
            geminiResponse({ parts: [{ text: 'Par' }] }),
            geminiErrorBody(500, 'Internal error encountered.', 'INTERNAL'),
          ]),
        },
        geminiJsonReply({ parts: [{ text: 'ok' }] }),
      );
      const stream = client.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
      const error = await streamFailure(stream);
      assert.ok(error instanceof OpenAI.APIError);
      assert.match(error.message, /Internal error encountered/);
      const { response } = await client.chat.completions
        .create({ model, logprobs: true, messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      assert.equal(warningsOf(response.headers), 'logprobs: not supported by Vertex AI, ignored');
    });
  });

  describe('Claude models', () => {
    const model = `vertex/${CLAUDE}`;

    test('a streamed tool call through streamRawPredict arrives as OpenAI deltas; cache tokens in prompt_tokens', async () => {
      vertex.enqueue({
        chunks: anthropicStream({
          toolUse: {
            id: 'toolu_vrtx_01',
            name: 'get_weather',
            input: WEATHER_ARGS,
            chunks: ['', ARGS_JSON.slice(0, 5), ARGS_JSON.slice(5)],
          },
          usage: {
            input_tokens: 8,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 20,
            output_tokens: 17,
          },
        }),
      });
      const runner = client.chat.completions.stream({
        model,
        max_tokens: 256,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [WEATHER_TOOL],
      });
      const chunks = await collect(runner);
      const final = await runner.finalChatCompletion();
      assert.deepEqual(toolCallDeltas(chunks), [
        { index: 0, id: 'toolu_vrtx_01', type: 'function', function: { name: 'get_weather', arguments: '' } },
        { index: 0, function: { arguments: ARGS_JSON.slice(0, 5) } },
        { index: 0, function: { arguments: ARGS_JSON.slice(5) } },
      ]);
      assert.deepEqual(firstToolCall(final.choices[0].message), {
        id: 'toolu_vrtx_01',
        name: 'get_weather',
        args: WEATHER_ARGS,
      });
      assert.deepEqual(finishReasons(chunks), ['tool_calls']);
      assert.deepEqual(tokenUsage(final.usage), {
        prompt_tokens: 128,
        completion_tokens: 17,
        total_tokens: 145,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 0 },
      });
      const sent = vertex.requests[0];
      assert.equal(sent.url, `${MODELS}/anthropic/models/${CLAUDE}:streamRawPredict`);
      assert.deepEqual(sent.json, {
        anthropic_version: 'vertex-2023-10-16',
        max_tokens: 256,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
        tools: [
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            input_schema: WEATHER_PARAMETERS,
          },
        ],
        stream: true,
      });
    });

    test('response_format json_schema: a forced tool upstream, JSON content back', async () => {
      vertex.enqueue({
        body: anthropicMessage({ toolUse: { id: 'toolu_vrtx_02', name: 'city_info', input: CITY } }),
      });
      const completion = await client.chat.completions.create({
        model,
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Facts about Paris' }],
        response_format: CITY_FORMAT,
      });
      assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
      assert.equal(completion.choices[0].finish_reason, 'stop');
      const body = vertex.requests[0].json as { tools: unknown; tool_choice: unknown };
      assert.deepEqual(body.tools, [
        {
          name: 'city_info',
          description: 'Respond with a JSON object that matches this schema.',
          input_schema: CITY_SCHEMA,
        },
      ]);
      assert.deepEqual(body.tool_choice, { type: 'tool', name: 'city_info' });
    });

    test('extended thinking arrives as reasoning_content', async () => {
      vertex.enqueue({
        chunks: anthropicStream({
          thinking: { text: ['Considering ', 'France.'], signature: 'sig-v' },
          text: 'Paris.',
          usage: { input_tokens: 9, output_tokens: 44 },
        }),
      });
      const runner = client.chat.completions.stream({
        model,
        max_tokens: 3000,
        reasoning_effort: 'low',
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Capital of France?' }],
      });
      const chunks = await collect(runner);
      const final = await runner.finalChatCompletion();
      assert.deepEqual(reasoningDeltas(chunks), ['Considering ', 'France.']);
      assert.equal(final.choices[0].message.content, 'Paris.');
      assert.deepEqual([final.usage?.prompt_tokens, final.usage?.completion_tokens], [9, 44]);
      assert.deepEqual((vertex.requests[0].json as { thinking: unknown }).thinking, {
        type: 'enabled',
        budget_tokens: 2048,
      });
    });

    test('a mid-stream error event makes the SDK throw; seed is warned about', async () => {
      const chunks = anthropicStream({ text: ['Par', 'is'] });
      vertex.enqueue(
        { chunks: [...chunks.slice(0, 4), anthropicErrorEvent('overloaded_error', 'Overloaded')] },
        { body: anthropicMessage({ text: 'ok' }) },
      );
      const stream = client.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
      const error = await streamFailure(stream);
      assert.ok(error instanceof OpenAI.APIError);
      assert.match(error.message, /Overloaded/);
      const { response } = await client.chat.completions
        .create({ model, seed: 9, messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      assert.equal(warningsOf(response.headers), 'seed: not supported by Anthropic, ignored');
    });
  });
});
