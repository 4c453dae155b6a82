// OpenAI SDK → gateway → AWS Bedrock Converse (translated), against a fake Bedrock upstream speaking the
// real binary event stream, with every recorded request's SigV4 signature recomputed and checked.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  type ConverseStreamEvent,
  converseJsonReply,
  converseStreamReply,
  encodeConverseStream,
  encodeExceptionFrame,
  verifySigV4,
} from '../fakes/bedrock.ts';
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

const MODEL_ID = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
const MODEL = `bedrock/${MODEL_ID}`;
const CREDENTIALS = {
  accessKeyId: 'TESTFAKEE2E000000001',
  secretAccessKey: 'fake/secret/key/for/e2e/tests/000000000',
};
const ARGS_JSON = JSON.stringify(WEATHER_ARGS);

const event = (type: string, payload: Record<string, unknown>): ConverseStreamEvent => ({
  'event-type': type,
  payload,
});
const metadata = (usage: Record<string, number>) => event('metadata', { usage, metrics: { latencyMs: 812 } });

describe('OpenAI SDK → Bedrock Converse', () => {
  const h = useProviderHarness((upstreamUrl) => ({
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-west-3',
    BEDROCK_BASE_URL: upstreamUrl,
  }));

  async function assertSigned(index = 0): Promise<void> {
    const check = await verifySigV4(h.upstream.requests[index], CREDENTIALS);
    assert.equal(check.valid, true, check.reason);
    const forged = await verifySigV4(h.upstream.requests[index], {
      ...CREDENTIALS,
      secretAccessKey: 'not-the-secret',
    });
    assert.equal(forged.valid, false, 'the check must fail with another secret');
    assert.match(
      String(h.upstream.requests[index].headers.authorization),
      /\/eu-west-3\/bedrock\/aws4_request/,
    );
  }

  test('a streamed tool call arrives as OpenAI deltas; cache tokens are counted in prompt_tokens; SigV4 verifies', async () => {
    h.upstream.enqueue(
      converseStreamReply(
        encodeConverseStream([
          event('messageStart', { role: 'assistant' }),
          event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
          event('contentBlockStop', { contentBlockIndex: 0 }),
          event('contentBlockStart', {
            contentBlockIndex: 1,
            start: { toolUse: { toolUseId: 'tooluse_w1', name: 'get_weather' } },
          }),
          event('contentBlockDelta', {
            contentBlockIndex: 1,
            delta: { toolUse: { input: ARGS_JSON.slice(0, 9) } },
          }),
          event('contentBlockDelta', {
            contentBlockIndex: 1,
            delta: { toolUse: { input: ARGS_JSON.slice(9) } },
          }),
          event('contentBlockStop', { contentBlockIndex: 1 }),
          event('messageStop', { stopReason: 'tool_use' }),
          metadata({
            inputTokens: 30,
            outputTokens: 14,
            totalTokens: 144,
            cacheReadInputTokens: 90,
            cacheWriteInputTokens: 10,
          }),
        ]),
      ),
    );
    const runner = h.client.chat.completions.stream({
      model: MODEL,
      max_tokens: 500,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [WEATHER_TOOL],
    });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    assert.deepEqual(toolCallDeltas(chunks), [
      { index: 0, id: 'tooluse_w1', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: ARGS_JSON.slice(0, 9) } },
      { index: 0, function: { arguments: ARGS_JSON.slice(9) } },
    ]);
    assert.equal(contentOf(chunks), 'Checking.');
    assert.deepEqual(firstToolCall(final.choices[0].message), {
      id: 'tooluse_w1',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.deepEqual(finishReasons(chunks), ['tool_calls']);
    assert.deepEqual(tokenUsage(final.usage), {
      prompt_tokens: 130,
      completion_tokens: 14,
      total_tokens: 144,
      prompt_tokens_details: { cached_tokens: 90 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const sent = h.upstream.requests[0];
    assert.equal(sent.url, `/model/${encodeURIComponent(MODEL_ID)}/converse-stream`);
    assert.deepEqual(sent.json, {
      system: [{ text: 'Use tools.' }],
      messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
      inferenceConfig: { maxTokens: 500 },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather for a city',
              inputSchema: { json: WEATHER_PARAMETERS },
            },
          },
        ],
      },
    });
    await assertSigned();
  });

  test('a tool call without streaming; max_tokens → length', async () => {
    h.upstream.enqueue(
      converseJsonReply({
        content: [{ toolUse: { toolUseId: 'tooluse_w2', name: 'get_weather', input: WEATHER_ARGS } }],
        stopReason: 'tool_use',
        usage: { inputTokens: 50, outputTokens: 20, cacheReadInputTokens: 25 },
      }),
      converseJsonReply({
        content: [{ text: 'Paris is' }],
        stopReason: 'max_tokens',
        usage: { inputTokens: 3, outputTokens: 2 },
      }),
    );
    const called = await h.client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    assert.deepEqual(firstToolCall(called.choices[0].message), {
      id: 'tooluse_w2',
      name: 'get_weather',
      args: WEATHER_ARGS,
    });
    assert.equal(called.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(
      [called.usage?.prompt_tokens, called.usage?.completion_tokens, called.usage?.total_tokens],
      [75, 20, 95],
    );
    assert.equal(called.usage?.prompt_tokens_details?.cached_tokens, 25);
    assert.deepEqual(
      (h.upstream.requests[0].json as { toolConfig: { toolChoice: unknown } }).toolConfig.toolChoice,
      {
        tool: { name: 'get_weather' },
      },
    );
    assert.equal(h.upstream.requests[0].url, `/model/${encodeURIComponent(MODEL_ID)}/converse`);
    await assertSigned(0);
    const cut = await h.client.chat.completions.create({
      model: MODEL,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(cut.choices[0].finish_reason, 'length');
    await assertSigned(1);
  });

  test('response_format json_schema: a forced tool h.upstream, its input back as JSON content (plain and streamed)', async () => {
    const json = JSON.stringify(CITY);
    h.upstream.enqueue(
      converseJsonReply({
        content: [{ toolUse: { toolUseId: 'tooluse_j1', name: 'json', input: CITY } }],
        stopReason: 'tool_use',
      }),
      converseStreamReply(
        encodeConverseStream([
          event('messageStart', { role: 'assistant' }),
          event('contentBlockStart', {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 'tooluse_j2', name: 'json' } },
          }),
          event('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { toolUse: { input: json.slice(0, 12) } },
          }),
          event('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: json.slice(12) } } }),
          event('contentBlockStop', { contentBlockIndex: 0 }),
          event('messageStop', { stopReason: 'tool_use' }),
          metadata({ inputTokens: 11, outputTokens: 19, totalTokens: 30 }),
        ]),
      ),
    );
    const request = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: 'Facts about Paris' }],
      response_format: CITY_FORMAT,
    };
    const { data: completion, response } = await h.client.chat.completions.create(request).withResponse();
    assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), CITY);
    assert.equal(completion.choices[0].message.tool_calls, undefined);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(
      warningsOf(response.headers),
      'responseFormat.strict: Bedrock cannot enforce a schema strictly, sent as a forced tool',
    );
    assert.deepEqual((h.upstream.requests[0].json as { toolConfig: unknown }).toolConfig, {
      tools: [
        {
          toolSpec: {
            name: 'json',
            description: 'Respond with a JSON object.',
            inputSchema: { json: CITY_SCHEMA },
          },
        },
      ],
      toolChoice: { tool: { name: 'json' } },
    });
    const chunks = await collect(await h.client.chat.completions.create({ ...request, stream: true }));
    assert.deepEqual(JSON.parse(contentOf(chunks)), CITY);
    assert.deepEqual(toolCallDeltas(chunks), []);
    assert.deepEqual(finishReasons(chunks), ['stop']);
    assert.deepEqual(
      (h.upstream.requests[1].json as { toolConfig: { toolChoice: unknown } }).toolConfig.toolChoice,
      {
        tool: { name: 'json' },
      },
    );
  });

  test('reasoning_effort turns on Claude thinking; reasoning arrives as reasoning_content', async () => {
    h.upstream.enqueue(
      converseStreamReply(
        encodeConverseStream([
          event('messageStart', { role: 'assistant' }),
          event('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { reasoningContent: { text: 'The capital ' } },
          }),
          event('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { reasoningContent: { text: 'is Paris.' } },
          }),
          event('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { reasoningContent: { signature: 'EqQBCkYIBxgCKkA=' } },
          }),
          event('contentBlockStop', { contentBlockIndex: 0 }),
          event('contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Paris.' } }),
          event('contentBlockStop', { contentBlockIndex: 1 }),
          event('messageStop', { stopReason: 'end_turn' }),
          metadata({ inputTokens: 15, outputTokens: 40, totalTokens: 55 }),
        ]),
      ),
      converseJsonReply({
        content: [
          { reasoningContent: { reasoningText: { text: 'Short thought.', signature: 'sig' } } },
          { text: 'Paris.' },
        ],
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
    assert.deepEqual(reasoningDeltas(chunks), ['The capital ', 'is Paris.']);
    assert.equal(final.choices[0].message.content, 'Paris.');
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.deepEqual([final.usage?.prompt_tokens, final.usage?.completion_tokens], [15, 40]);
    const body = h.upstream.requests[0].json as Record<string, unknown>;
    assert.deepEqual(body.additionalModelRequestFields, {
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    assert.deepEqual(body.inferenceConfig, { maxTokens: 5120 });
    const plain = await h.client.chat.completions.create({
      model: MODEL,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const message = plain.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.reasoning_content, 'Short thought.');
    assert.equal(message.content, 'Paris.');
  });

  test('an exception frame mid-stream, and a stream cut before messageStop, make the SDK throw', async () => {
    const frames = encodeConverseStream([
      event('messageStart', { role: 'assistant' }),
      event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Partial' } }),
      event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' answer' } }),
    ]);
    h.upstream.enqueue(
      converseStreamReply([
        ...frames,
        encodeExceptionFrame('throttlingException', 'Too many tokens, please wait.'),
      ]),
      converseStreamReply(frames),
      converseStreamReply([...frames, frames[1]], { dieAfterChunks: 3 }),
    );
    const create = () =>
      h.client.chat.completions.create({
        model: MODEL,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      });
    const throttled = await streamFailure(create());
    assert.ok(throttled instanceof OpenAI.APIError, String(throttled));
    assert.match(throttled.message, /Too many tokens/);
    const cut = await streamFailure(create());
    assert.ok(cut instanceof OpenAI.APIError);
    assert.match(cut.message, /ended before messageStop/);
    assert.ok((await streamFailure(create())) instanceof Error);
  });

  test('parameters Bedrock cannot honour are listed in x-switchyard-warnings', async () => {
    h.upstream.enqueue(converseJsonReply({ content: [{ text: 'ok' }] }));
    const { response } = await h.client.chat.completions
      .create({ model: MODEL, seed: 1, logprobs: true, messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    assert.equal(
      warningsOf(response.headers),
      'seed: not supported by Bedrock Converse, ignored; logprobs: no equivalent on Bedrock Converse, ignored',
    );
    assert.deepEqual(h.upstream.requests[0].json, { messages: [{ role: 'user', content: [{ text: 'x' }] }] });
  });
});
