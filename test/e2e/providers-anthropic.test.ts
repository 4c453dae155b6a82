// OpenAI SDK → gateway → Anthropic Messages (translated), against a fake Anthropic upstream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { anthropicErrorEvent, anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
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

const MODEL = 'anthropic/claude-sonnet-4-5';
const ARGS_JSON = JSON.stringify(WEATHER_ARGS);

describe('OpenAI SDK → Anthropic', () => {
  const h = useProviderHarness((upstreamUrl) => ({
    ANTHROPIC_API_KEY: 'sk-ant-upstream',
    ANTHROPIC_BASE_URL: upstreamUrl,
  }));

  test('a streamed tool call arrives as OpenAI deltas; usage counts cache tokens in prompt_tokens', async () => {
    h.upstream.enqueue({
      chunks: anthropicStream({
        text: ['Let me ', 'check.'],
        toolUse: {
          id: 'toolu_01Weather',
          name: 'get_weather',
          input: WEATHER_ARGS,
          chunks: ['', ARGS_JSON.slice(0, 8), ARGS_JSON.slice(8)],
        },
        usage: {
          input_tokens: 20,
          cache_read_input_tokens: 5,
          cache_creation_input_tokens: 3,
          output_tokens: 11,
        },
      }),
    });
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      max_tokens: 300,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    assert.deepEqual(toolCallDeltas(chunks), [
      { index: 0, id: 'toolu_01Weather', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: ARGS_JSON.slice(0, 8) } },
      { index: 0, function: { arguments: ARGS_JSON.slice(8) } },
    ]);
    assert.equal(contentOf(chunks), 'Let me check.');
    assert.deepEqual(finishReasons(chunks), ['tool_calls']);
    const message = final.choices[0].message;
    assert.deepEqual(firstToolCall(message), {
      id: 'toolu_01Weather',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(tokenUsage(final.usage), {
      prompt_tokens: 28,
      completion_tokens: 11,
      total_tokens: 39,
      prompt_tokens_details: { cached_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const sent = h.upstream.requests[0];
    assert.equal(sent.url, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-upstream');
    assert.deepEqual(sent.json, {
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      tools: [
        { name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_PARAMETERS },
      ],
      stream: true,
    });
  });

  test('a tool call without streaming, and max_tokens → finish_reason length', async () => {
    h.upstream.enqueue(
      {
        body: anthropicMessage({
          toolUse: { id: 'toolu_02', name: 'get_weather', input: WEATHER_ARGS },
          usage: { input_tokens: 40, output_tokens: 9 },
        }),
      },
      {
        body: anthropicMessage({
          text: 'Paris is',
          stopReason: 'max_tokens',
          usage: { input_tokens: 4, output_tokens: 2 },
        }),
      },
    );
    const called = await h.client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'required',
    });
    assert.deepEqual(firstToolCall(called.choices[0].message), {
      id: 'toolu_02',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.equal(called.choices[0].message.content, null);
    assert.equal(called.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual((h.upstream.requests[0].json as { tool_choice: unknown }).tool_choice, { type: 'any' });
    const cut = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.deepEqual(
      [cut.usage?.prompt_tokens, cut.usage?.completion_tokens, cut.usage?.total_tokens],
      [4, 2, 6],
    );
  });

  test('response_format json_schema: a forced tool h.upstream, JSON text back with finish_reason stop', async () => {
    h.upstream.enqueue({
      body: anthropicMessage({ toolUse: { id: 'toolu_03', name: 'city_info', input: CITY } }),
    });
    const completion = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Facts about Paris' }],
      response_format: CITY_FORMAT,
    });
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
    assert.equal(completion.choices[0].message.tool_calls, undefined);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    const body = h.upstream.requests[0].json as { tools: unknown; tool_choice: unknown };
    assert.deepEqual(body.tools, [
      {
        name: 'city_info',
        description: 'Respond with a JSON object that matches this schema.',
        input_schema: CITY_SCHEMA,
      },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'city_info' });
  });

  test('response_format json_schema streamed: the forced tool input arrives as content', async () => {
    const json = JSON.stringify(CITY);
    h.upstream.enqueue({
      chunks: anthropicStream({
        toolUse: {
          id: 'toolu_04',
          name: 'city_info',
          input: CITY,
          chunks: ['', json.slice(0, 10), json.slice(10)],
        },
      }),
    });
    const chunks = await collect(
      await h.client.chat.completions.create({
        model: MODEL,
        stream: true,
        messages: [{ role: 'user', content: 'Facts about Paris' }],
        response_format: CITY_FORMAT,
      }),
    );
    assert.deepEqual(JSON.parse(contentOf(chunks)), CITY);
    assert.deepEqual(toolCallDeltas(chunks), []);
    assert.deepEqual(finishReasons(chunks), ['stop']);
    assert.deepEqual((h.upstream.requests[0].json as { tool_choice: unknown }).tool_choice, {
      type: 'tool',
      name: 'city_info',
    });
  });

  test('reasoning_effort turns on extended thinking; thinking arrives as reasoning_content', async () => {
    h.upstream.enqueue(
      {
        chunks: anthropicStream({
          thinking: { text: ['Paris is ', 'the capital.'], signature: 'sig-1' },
          text: 'Paris.',
          usage: { input_tokens: 12, output_tokens: 30 },
        }),
      },
      {
        body: anthropicMessage({ thinking: { text: 'Short thought.', signature: 'sig-2' }, text: 'Paris.' }),
      },
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      max_tokens: 4000,
      reasoning_effort: 'low',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    assert.deepEqual(reasoningDeltas(chunks), ['Paris is ', 'the capital.']);
    assert.equal(contentOf(chunks), 'Paris.');
    assert.equal(final.choices[0].message.content, 'Paris.');
    assert.deepEqual([final.usage?.prompt_tokens, final.usage?.completion_tokens], [12, 30]);
    assert.deepEqual((h.upstream.requests[0].json as { thinking: unknown }).thinking, {
      type: 'enabled',
      budget_tokens: 2048,
    });

    const plain = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 4000,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const message = plain.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.reasoning_content, 'Short thought.');
    assert.equal(message.content, 'Paris.');
  });

  test('a mid-stream h.upstream error ends the stream with an error the SDK throws', async () => {
    const chunks = anthropicStream({ text: ['partial ', 'answer', ' never finished'] });
    h.upstream.enqueue({
      chunks: [...chunks.slice(0, 5), anthropicErrorEvent('overloaded_error', 'Overloaded')],
    });
    const stream = h.client.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const error = await streamFailure(stream);
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.match(error.message, /Overloaded/);

    h.upstream.enqueue({ chunks, dieAfterChunks: 5 });
    const dying = h.client.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.ok((await streamFailure(dying)) instanceof Error);
  });

  test('parameters Anthropic cannot honour are listed in x-switchyard-warnings', async () => {
    h.upstream.enqueue({ body: anthropicMessage({ text: 'ok' }) });
    const { response } = await h.client.chat.completions
      .create({ model: MODEL, seed: 42, logprobs: true, messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    assert.equal(
      warningsOf(response.headers),
      'seed: not supported by Anthropic, ignored; logprobs: not supported by Anthropic Messages, ignored',
    );
    const body = h.upstream.requests[0].json as Record<string, unknown>;
    assert.equal(body.seed, undefined);
    assert.equal(body.logprobs, undefined);
  });
});
