// The official @google/genai SDK against the real gateway, in front of fake Gemini, Anthropic and OpenAI
// upstreams: generateContent, generateContentStream with function calls across turns, countTokens, errors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ApiError, type Content, type FunctionCall, GoogleGenAI } from '@google/genai';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply, geminiToolCallStream } from '../fakes/gemini.ts';
import { openAICompletion, openAIToolStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { type ProviderFleet, startProviderFleet } from './matrix-providers.ts';

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const config = { tools: [{ functionDeclarations: [WEATHER] }] };

let fleet: ProviderFleet;
let gateway: TestGateway;
let ai: GoogleGenAI;
let anthropic: FakeServer;
let openai: FakeServer;
let gemini: FakeServer;

before(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
  ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: gateway.url } });
  const server = (name: string) => fleet.cases.find((provider) => provider.name === name)!.server;
  [anthropic, openai, gemini] = ['anthropic', 'openai', 'gemini'].map(server);
});
after(async () => {
  await gateway.close();
  await fleet.close();
});
beforeEach(() => {
  for (const provider of fleet.cases) provider.server.reset();
});

async function streamed(model: string, contents: Content[] | string, withTools = true) {
  let text = '';
  const calls: FunctionCall[] = [];
  const turn: Content = { role: 'model', parts: [] };
  let last: Awaited<ReturnType<typeof ai.models.generateContent>> | undefined;
  for await (const chunk of await ai.models.generateContentStream({
    model,
    contents,
    ...(withTools ? { config } : {}),
  })) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      if (part.text && !part.thought) text += part.text;
    }
    calls.push(...(chunk.functionCalls ?? []));
    turn.parts!.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    last = chunk;
  }
  return { text, calls, turn, last: last! };
}

describe('generateContent', () => {
  test('Anthropic upstream: text and a function call, the request translated exactly', async () => {
    anthropic.enqueue({
      body: anthropicMessage({
        text: 'Checking.',
        toolUse: { id: 'toolu_g1', name: 'get_weather', input: { city: 'Lima' } },
        usage: { input_tokens: 40, output_tokens: 15, cache_read_input_tokens: 10 },
      }),
    });
    const response = await ai.models.generateContent({
      model: 'claude-sonnet-4-6',
      contents: 'Weather in Lima?',
      config: { ...config, systemInstruction: 'Be brief.', maxOutputTokens: 300, temperature: 0.2 },
    });
    assert.deepEqual(
      response.candidates?.[0]?.content?.parts?.map((part) => (part.text ? { text: part.text } : part)),
      [{ text: 'Checking.' }, { functionCall: { name: 'get_weather', args: { city: 'Lima' } } }],
    );
    assert.deepEqual(response.functionCalls, [{ name: 'get_weather', args: { city: 'Lima' } }]);
    assert.equal(response.candidates?.[0]?.finishReason, 'STOP');
    assert.equal(response.usageMetadata?.promptTokenCount, 50);
    assert.equal(response.usageMetadata?.cachedContentTokenCount, 10);
    assert.equal(response.usageMetadata?.candidatesTokenCount, 15);
    assert.deepEqual(anthropic.requests[0].json, {
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      temperature: 0.2,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Lima?' }] }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: WEATHER.parametersJsonSchema,
        },
      ],
    });
  });

  test('the function response goes back to OpenAI as the answer to the call it names', async () => {
    openai.enqueue(
      openAICompletion({
        content: null,
        toolCalls: [{ id: 'call_oa1', name: 'get_weather', arguments: '{"city":"Kyiv"}' }],
      }),
    );
    const first = await ai.models.generateContent({ model: 'gpt-4o', contents: 'Weather in Kyiv?', config });
    assert.deepEqual(
      first.functionCalls?.map(({ name, args }) => ({ name, args })),
      [{ name: 'get_weather', args: { city: 'Kyiv' } }],
    );
    openai.enqueue(openAICompletion({ content: 'It is 12°C.' }));
    const second = await ai.models.generateContent({
      model: 'gpt-4o',
      config,
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Kyiv?' }] },
        first.candidates![0].content!,
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { temperature: '12°C' } } }],
        },
      ],
    });
    assert.equal(second.text, 'It is 12°C.');
    const sent = openai.requests[1].json as { messages: Array<Record<string, unknown>> };
    const call = (sent.messages[1].tool_calls as Array<{ id: string }>)[0];
    assert.deepEqual(sent.messages.slice(1), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: call.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Kyiv"}' } },
        ],
      },
      { role: 'tool', tool_call_id: call.id, content: '{"temperature":"12°C"}' },
    ]);
  });

  test('Gemini upstream: passthrough, the upstream key replaces the client key', async () => {
    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'native' }], usage: { prompt: 3, candidates: 1 } }));
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    assert.equal(response.text, 'native');
    const sent = gemini.requests[0];
    assert.equal(sent.url, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(sent.headers['x-goog-api-key'], 'gemini-matrix-key');
    assert.deepEqual(sent.json, { contents: [{ parts: [{ text: 'hi' }], role: 'user' }] });
  });
});

describe('generateContentStream', () => {
  test('OpenAI upstream: two streamed calls arrive whole, with STOP and the usage', async () => {
    openai.enqueue({
      chunks: openAIToolStreamChunks({
        calls: [
          { id: 'call_1', name: 'get_weather', argumentPieces: ['{"ci', 'ty":"Oslo"}'] },
          { id: 'call_2', name: 'get_weather', argumentPieces: ['{"city":"Bergen"}'] },
        ],
        includeUsage: true,
      }),
    });
    const { text, calls, last } = await streamed('gpt-4o', 'Weather in Oslo and Bergen?');
    assert.equal(text, '');
    assert.deepEqual(
      calls.map(({ name, args }) => ({ name, args })),
      [
        { name: 'get_weather', args: { city: 'Oslo' } },
        { name: 'get_weather', args: { city: 'Bergen' } },
      ],
    );
    assert.equal(last.candidates?.[0]?.finishReason, 'STOP');
    assert.equal(last.usageMetadata?.promptTokenCount, 44);
    assert.equal(last.usageMetadata?.candidatesTokenCount, 16);
    const sent = openai.requests[0].json as Record<string, unknown>;
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
  });

  test('Gemini upstream: the streamed call keeps its thought signature for the next turn', async () => {
    gemini.enqueue(
      geminiToolCallStream([{ name: 'get_weather', args: { city: 'Rome' } }], { signature: 'c2ln' }),
    );
    const first = await streamed('gemini-2.5-flash', 'Weather in Rome?');
    assert.deepEqual(first.calls, [{ name: 'get_weather', args: { city: 'Rome' } }]);
    assert.match(gemini.requests[0].url, /:streamGenerateContent\?alt=sse$/);
    assert.equal(first.turn.parts?.[0]?.thoughtSignature, 'c2ln');
  });

  test('Anthropic upstream with thinking: the signed thought goes back to Anthropic in the next turn', async () => {
    anthropic.enqueue({
      chunks: anthropicStream({
        thinking: { text: ['Need ', 'weather.'], signature: 'EqQBsig-for-gemini-client' },
        toolUse: { id: 'toolu_t1', name: 'get_weather', input: { city: 'Rome' } },
      }),
    });
    const first = await streamed('claude-sonnet-4-6', 'Weather in Rome?');
    assert.deepEqual(
      first.calls.map(({ name, args }) => ({ name, args })),
      [{ name: 'get_weather', args: { city: 'Rome' } }],
    );
    anthropic.enqueue({ body: anthropicMessage({ text: 'Warm.' }) });
    const second = await ai.models.generateContent({
      model: 'claude-sonnet-4-6',
      config,
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Rome?' }] },
        first.turn,
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { output: '25°C' } } }],
        },
      ],
    });
    assert.equal(second.text, 'Warm.');
    const sent = anthropic.requests[1].json as { messages: Array<{ role: string; content: unknown }> };
    const toolUse = (sent.messages[1].content as Array<{ type: string; id?: string }>)[1];
    assert.deepEqual(sent.messages.slice(1), [
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need weather.', signature: 'EqQBsig-for-gemini-client' },
          { type: 'tool_use', id: toolUse.id, name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '{"output":"25°C"}' }],
      },
    ]);
  });
});

describe('countTokens', () => {
  test('Gemini: forwarded natively', async () => {
    gemini.enqueue({
      body: { totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] },
    });
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'How many tokens?' });
    assert.equal(counted.totalTokens, 31);
    assert.equal(gemini.requests[0].url, '/v1beta/models/gemini-2.5-flash:countTokens');
    assert.deepEqual(gemini.requests[0].json, {
      contents: [{ parts: [{ text: 'How many tokens?' }], role: 'user' }],
    });
  });

  test('another provider: a local estimate that grows with the input', async () => {
    const short = await ai.models.countTokens({ model: 'claude-sonnet-4-6', contents: 'hi' });
    const long = await ai.models.countTokens({
      model: 'claude-sonnet-4-6',
      contents: 'hi there '.repeat(100),
    });
    assert.ok((short.totalTokens ?? 0) > 0);
    assert.ok((long.totalTokens ?? 0) > (short.totalTokens ?? 0) + 100);
    assert.equal(anthropic.requests.length, 0);
  });
});

describe('errors', () => {
  test('an upstream 429 is an ApiError with status 429 and RESOURCE_EXHAUSTED', async () => {
    anthropic.enqueue({
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } },
    });
    const error = await ai.models.generateContent({ model: 'claude-sonnet-4-6', contents: 'x' }).then(
      () => assert.fail('expected an error'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 429);
    assert.match(error.message, /RESOURCE_EXHAUSTED/);
    assert.match(error.message, /Slow down/);
  });

  test('an unknown model is a 404 ApiError', async () => {
    const error = await ai.models.generateContentStream({ model: 'no-such-model', contents: 'x' }).then(
      () => assert.fail('expected an error'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 404);
  });
});
