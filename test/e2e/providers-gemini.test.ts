// OpenAI SDK → gateway → Gemini API (translated), against a fake Gemini upstream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  geminiErrorBody,
  geminiJsonReply,
  geminiResponse,
  geminiSseFrames,
  geminiStream,
  geminiThinkingStream,
  geminiToolCallStream,
} from '../fakes/gemini.ts';
import { tokenUsage } from '../helpers/gateway.ts';
import {
  CITY,
  CITY_FORMAT,
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

const MODEL = 'gemini/gemini-2.5-flash';

describe('OpenAI SDK → Gemini', () => {
  const h = useProviderHarness((upstreamUrl) => ({
    GEMINI_API_KEY: 'gemini-upstream-key',
    GEMINI_BASE_URL: upstreamUrl,
  }));

  test('a streamed function call arrives as OpenAI tool-call deltas with a made-up id', async () => {
    h.upstream.enqueue(
      geminiToolCallStream([{ name: 'get_weather', args: WEATHER_ARGS }], {
        usage: { prompt: 20, candidates: 10 },
      }),
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [WEATHER_TOOL],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    const deltas = toolCallDeltas(chunks) as Array<{ id?: string }>;
    const id = deltas[0]?.id ?? '';
    assert.match(id, /^call_[0-9a-f]{24}$/);
    assert.deepEqual(deltas, [
      { index: 0, id, type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: JSON.stringify(WEATHER_ARGS) } },
    ]);
    assert.deepEqual(firstToolCall(final.choices[0].message), {
      id,
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.deepEqual(
      finishReasons(chunks),
      ['tool_calls'],
      'Gemini says STOP; a function call makes it tool_calls',
    );
    assert.deepEqual(tokenUsage(final.usage), {
      prompt_tokens: 20,
      completion_tokens: 10,
      total_tokens: 30,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const sent = h.upstream.requests[0];
    assert.equal(sent.url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(sent.headers['x-goog-api-key'], 'gemini-upstream-key');
    assert.deepEqual(sent.json, {
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
      systemInstruction: { parts: [{ text: 'Use tools.' }] },
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

  test('usage: cached tokens stay inside prompt_tokens; finish reasons map (MAX_TOKENS → length, SAFETY → content_filter)', async () => {
    h.upstream.enqueue(
      geminiJsonReply({
        parts: [{ text: 'Paris is' }],
        finishReason: 'MAX_TOKENS',
        usage: { prompt: 100, candidates: 4, cached: 60 },
      }),
      geminiJsonReply({ parts: [], finishReason: 'SAFETY', usage: { prompt: 7, candidates: 0 } }),
    );
    const cut = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 4,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.deepEqual(tokenUsage(cut.usage), {
      prompt_tokens: 100,
      completion_tokens: 4,
      total_tokens: 104,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    assert.deepEqual((h.upstream.requests[0].json as { generationConfig: unknown }).generationConfig, {
      maxOutputTokens: 4,
    });
    const blocked = await h.client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(blocked.choices[0].finish_reason, 'content_filter');
  });

  test('response_format json_schema: responseSchema h.upstream, parseable JSON back (plain and streamed)', async () => {
    const json = JSON.stringify(CITY);
    h.upstream.enqueue(
      geminiJsonReply({ parts: [{ text: json }], usage: { prompt: 9, candidates: 12 } }),
      geminiStream([{ parts: [{ text: json.slice(0, 7) }] }, { parts: [{ text: json.slice(7) }] }], {
        usage: { prompt: 9, candidates: 12 },
      }),
    );
    const request = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: 'Facts about Paris' }],
      response_format: CITY_FORMAT,
    };
    const completion = await h.client.chat.completions.create(request);
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual((h.upstream.requests[0].json as { generationConfig: unknown }).generationConfig, {
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'population'],
      },
    });
    const chunks = await collect(await h.client.chat.completions.create({ ...request, stream: true }));
    assert.deepEqual(JSON.parse(contentOf(chunks)), CITY);
    assert.deepEqual(finishReasons(chunks), ['stop']);
  });

  test('thoughts arrive as reasoning_content; thinking tokens count as completion and reasoning tokens', async () => {
    h.upstream.enqueue(
      geminiThinkingStream(['Thinking about ', 'France.'], ['Paris.'], {
        usage: { prompt: 5, candidates: 2, thoughts: 20 },
      }),
      geminiJsonReply({
        parts: [{ thought: 'A short thought.' }, { text: 'Paris.' }],
        usage: { prompt: 5, candidates: 2, thoughts: 8 },
      }),
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      reasoning_effort: 'low',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    assert.deepEqual(reasoningDeltas(chunks), ['Thinking about ', 'France.']);
    assert.equal(contentOf(chunks), 'Paris.');
    assert.deepEqual(tokenUsage(final.usage), {
      prompt_tokens: 5,
      completion_tokens: 22,
      total_tokens: 27,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
    assert.deepEqual((h.upstream.requests[0].json as { generationConfig: unknown }).generationConfig, {
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    const plain = await h.client.chat.completions.create({
      model: MODEL,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const message = plain.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.reasoning_content, 'A short thought.');
    assert.equal(message.content, 'Paris.');
    assert.equal(plain.usage?.completion_tokens_details?.reasoning_tokens, 8);
  });

  test('a mid-stream error frame, an end without finishReason and a dead connection all make the SDK throw', async () => {
    const first = geminiResponse({ parts: [{ text: 'Partial ' }] });
    h.upstream.enqueue(
      { chunks: geminiSseFrames([first, geminiErrorBody(503, 'The model is overloaded.', 'UNAVAILABLE')]) },
      geminiStream([{ parts: [{ text: 'Never ' }] }, { parts: [{ text: 'finished' }] }], {
        finishReason: null,
      }),
      { ...geminiStream([{ parts: [{ text: 'a' }] }, { parts: [{ text: 'b' }] }]), dieAfterChunks: 1 },
    );
    const create = () =>
      h.client.chat.completions.create({
        model: MODEL,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
    const overloaded = await streamFailure(create());
    assert.ok(overloaded instanceof OpenAI.APIError);
    assert.match(overloaded.message, /overloaded/);
    const unfinished = await streamFailure(create());
    assert.ok(unfinished instanceof OpenAI.APIError);
    assert.match(unfinished.message, /ended without a finishReason/);
    assert.ok((await streamFailure(create())) instanceof Error);
  });

  test('parameters Gemini cannot honour are listed in x-switchyard-warnings', async () => {
    h.upstream.enqueue(geminiJsonReply({ parts: [{ text: 'ok' }] }));
    const { response } = await h.client.chat.completions
      .create({
        model: MODEL,
        user: 'user-7',
        logprobs: true,
        seed: 3,
        messages: [{ role: 'user', content: 'x' }],
      })
      .withResponse();
    assert.equal(
      warningsOf(response.headers),
      'user: not supported by Gemini, ignored; logprobs: not supported by Gemini, ignored',
    );
    assert.deepEqual((h.upstream.requests[0].json as { generationConfig: unknown }).generationConfig, {
      seed: 3,
    });
  });
});
