// OpenAI SDK → gateway → Cohere native v2 chat (translated), against a fake Cohere upstream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { cohereJsonReply, cohereStreamChunks, cohereStreamReply } from '../fakes/cohere.ts';
import { tokenUsage } from '../helpers/gateway.ts';
import {
  CITY,
  CITY_FORMAT,
  CITY_SCHEMA,
  collect,
  contentOf,
  finishReasons,
  firstToolCall,
  reasoningDeltas,
  streamFailure,
  toolCallDeltas,
  useProviderHarness,
  WEATHER_ARGS,
  WEATHER_PARAMETERS,
  WEATHER_TOOL,
  warningsOf,
} from '../helpers/provider-scenarios.ts';

const MODEL = 'cohere/command-a-03-2025';
const ARGS_JSON = JSON.stringify(WEATHER_ARGS);

describe('OpenAI SDK → Cohere v2', () => {
  const h = useProviderHarness((upstreamUrl) => ({
    COHERE_API_KEY: 'co-upstream-key',
    COHERE_BASE_URL: upstreamUrl,
  }));

  test('a streamed tool call arrives as OpenAI deltas (the tool plan as content); usage and finish exact', async () => {
    h.upstream.enqueue(
      cohereStreamReply({
        toolPlan: 'I will check the weather.',
        toolCalls: [{ id: 'get_weather_abc123', name: 'get_weather', arguments: ARGS_JSON }],
        usage: { input: 900, output: 40, cached: 512 },
      }),
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    const fragments = [
      ARGS_JSON.slice(0, 8),
      ARGS_JSON.slice(8, 16),
      ARGS_JSON.slice(16, 24),
      ARGS_JSON.slice(24),
    ];
    assert.deepEqual(toolCallDeltas(chunks), [
      {
        index: 0,
        id: 'get_weather_abc123',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      ...fragments.map((arguments_) => ({ index: 0, function: { arguments: arguments_ } })),
    ]);
    assert.equal(contentOf(chunks), 'I will check the weather.');
    assert.deepEqual(firstToolCall(final.choices[0].message), {
      id: 'get_weather_abc123',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.deepEqual(finishReasons(chunks), ['tool_calls']);
    assert.deepEqual(tokenUsage(final.usage), {
      prompt_tokens: 900,
      completion_tokens: 40,
      total_tokens: 940,
      prompt_tokens_details: { cached_tokens: 512 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const sent = h.upstream.requests[0];
    assert.equal(sent.url, '/v2/chat');
    assert.equal(sent.headers.authorization, 'Bearer co-upstream-key');
    assert.deepEqual(sent.json, {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: WEATHER_PARAMETERS,
          },
        },
      ],
      stream: true,
    });
  });

  test('a tool call without streaming; MAX_TOKENS → length', async () => {
    h.upstream.enqueue(
      cohereJsonReply({
        toolCalls: [{ id: 'get_weather_x', name: 'get_weather', arguments: ARGS_JSON }],
        usage: { input: 60, output: 12 },
      }),
      cohereJsonReply({ text: 'Paris is', finishReason: 'MAX_TOKENS', usage: { input: 5, output: 2 } }),
    );
    const called = await h.client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
    });
    assert.deepEqual(firstToolCall(called.choices[0].message), {
      id: 'get_weather_x',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.equal(called.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual([called.usage?.prompt_tokens, called.usage?.completion_tokens], [60, 12]);
    const cut = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.equal((h.upstream.requests[1].json as { max_tokens: number }).max_tokens, 2);
  });

  test('response_format json_schema: Cohere JSON mode with the schema, parseable content back', async () => {
    const json = JSON.stringify(CITY);
    h.upstream.enqueue(cohereJsonReply({ text: json }), cohereStreamReply({ text: json }));
    const request = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: 'Facts about Paris' }],
      response_format: CITY_FORMAT,
    };
    const completion = await h.client.chat.completions.create(request);
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual((h.upstream.requests[0].json as { response_format: unknown }).response_format, {
      type: 'json_object',
      json_schema: CITY_SCHEMA,
    });
    const chunks = await collect(await h.client.chat.completions.create({ ...request, stream: true }));
    assert.deepEqual(JSON.parse(contentOf(chunks)), CITY);
    assert.deepEqual(finishReasons(chunks), ['stop']);
  });

  test('reasoning_effort turns on thinking; thinking arrives as reasoning_content', async () => {
    h.upstream.enqueue(
      cohereStreamReply({
        thinking: 'France has Paris as capital.',
        text: 'Paris.',
        usage: { input: 10, output: 25 },
      }),
      cohereJsonReply({ thinking: 'Short thought.', text: 'Paris.' }),
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      reasoning_effort: 'low',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    assert.deepEqual(reasoningDeltas(chunks), ['France', ' has', ' Paris', ' as', ' capital.']);
    assert.equal(final.choices[0].message.content, 'Paris.');
    assert.deepEqual([final.usage?.prompt_tokens, final.usage?.completion_tokens], [10, 25]);
    assert.deepEqual((h.upstream.requests[0].json as { thinking: unknown }).thinking, {
      type: 'enabled',
      token_budget: 1024,
    });
    const plain = await h.client.chat.completions.create({
      model: MODEL,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const message = plain.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.reasoning_content, 'Short thought.');
    assert.equal(message.content, 'Paris.');
  });

  test('a stream without message-end, and a dead connection, make the SDK throw', async () => {
    h.upstream.enqueue(cohereStreamReply({ text: 'Never finished' }, { omitEnd: true }), {
      chunks: cohereStreamChunks({ text: 'one two three four' }),
      dieAfterChunks: 3,
    });
    const create = () =>
      h.client.chat.completions.create({
        model: MODEL,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
    const unfinished = await streamFailure(create());
    assert.ok(unfinished instanceof OpenAI.APIError, String(unfinished));
    assert.match(unfinished.message, /ended before message-end/);
    assert.ok((await streamFailure(create())) instanceof Error);
  });

  test('parameters Cohere cannot honour are listed in x-switchyard-warnings', async () => {
    h.upstream.enqueue(cohereJsonReply({ text: 'ok' }));
    const { response } = await h.client.chat.completions
      .create({
        model: MODEL,
        user: 'u-1',
        logprobs: true,
        seed: 5,
        messages: [{ role: 'user', content: 'x' }],
      })
      .withResponse();
    assert.equal(
      warningsOf(response.headers),
      'user: not supported by Cohere, dropped; logprobs: not supported by Cohere, dropped',
    );
    assert.deepEqual(h.upstream.requests[0].json, {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
      stream: false,
      seed: 5,
    });
  });
});
