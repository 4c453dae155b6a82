// The official openai SDK's Responses API against the real gateway, beyond test/e2e/responses.test.ts:
// function calls answered through previous_response_id (plain and streamed), the streamed event
// sequence, and reasoning carried back by the client as encrypted_content.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply } from '../fakes/gemini.ts';
import { openAITextStreamChunks, openAIToolStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { type ProviderFleet, startProviderFleet } from './matrix-providers.ts';

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  strict: false,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

let fleet: ProviderFleet;
let gateway: TestGateway;
let client: OpenAI;
let anthropic: FakeServer;
let openai: FakeServer;
let gemini: FakeServer;

before(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
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

describe('function calls with previous_response_id', () => {
  test('responses.create: a Gemini call, answered by function_call_output, goes back with its signature', async () => {
    gemini.enqueue(
      geminiJsonReply({
        parts: [{ call: { name: 'get_weather', args: { city: 'Nice' } }, signature: 'Z2VtLXNpZw==' }],
        usage: { prompt: 20, candidates: 8 },
      }),
    );
    const first = await client.responses.create({
      model: 'gemini-2.5-flash',
      input: 'Weather in Nice?',
      tools: [weather],
    });
    assert.equal(first.status, 'completed');
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.deepEqual(
      [call.name, JSON.parse(call.arguments), call.status],
      ['get_weather', { city: 'Nice' }, 'completed'],
    );
    assert.equal(first.usage?.input_tokens, 20);

    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'Sunny in Nice.' }] }));
    const second = await client.responses.create({
      model: 'gemini-2.5-flash',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"sky":"clear"}' }],
      tools: [weather],
    });
    assert.equal(second.output_text, 'Sunny in Nice.');
    assert.equal(second.previous_response_id, first.id);
    const sent = gemini.requests[1].json as { contents: unknown };
    assert.deepEqual(sent.contents, [
      { role: 'user', parts: [{ text: 'Weather in Nice?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Nice' } }, thoughtSignature: 'Z2VtLXNpZw==' },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'clear' } } }],
      },
    ]);
  });

  test('responses.stream: OpenAI upstream, exact event sequence, then the output answers the calls', async () => {
    openai.enqueue({
      chunks: openAIToolStreamChunks({
        calls: [
          { id: 'call_s1', name: 'get_weather', argumentPieces: ['{"city"', ':"Porto"}'] },
          { id: 'call_s2', name: 'get_weather', argumentPieces: ['{"city":"Faro"}'] },
        ],
        includeUsage: true,
      }),
    });
    const stream = client.responses.stream({ model: 'gpt-4o', input: 'Porto and Faro?', tools: [weather] });
    const types: string[] = [];
    const byItem = new Map<number, string[]>();
    const argumentDeltas: string[] = [];
    stream.on('event', (event) => {
      types.push(event.type);
      if ('output_index' in event)
        byItem.set(event.output_index, [...(byItem.get(event.output_index) ?? []), event.type]);
      if (event.type === 'response.function_call_arguments.delta') argumentDeltas.push(event.delta);
    });
    const first = await stream.finalResponse();
    // Each item's own events are in order. (Items may overlap: an OpenAI Chat stream has no end marker per
    // tool call, so the provider closes every call at finish_reason.)
    const itemEvents = [
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ];
    const collapse = (list: string[]) => list.filter((type, i) => type !== list[i - 1]);
    assert.deepEqual([...byItem.keys()], [0, 1]);
    for (const events of byItem.values()) assert.deepEqual(collapse(events), itemEvents);
    assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress']);
    assert.equal(types.at(-1), 'response.completed');
    assert.deepEqual(argumentDeltas, ['{"city"', ':"Porto"}', '{"city":"Faro"}']);
    const calls = first.output.filter((item) => item.type === 'function_call');
    assert.deepEqual(
      calls.map((item) => [item.call_id, item.name, item.arguments]),
      [
        ['call_s1', 'get_weather', '{"city":"Porto"}'],
        ['call_s2', 'get_weather', '{"city":"Faro"}'],
      ],
    );
    assert.equal(first.usage?.total_tokens, 60);

    openai.enqueue({ chunks: openAITextStreamChunks({ pieces: ['Both ', 'sunny.'], includeUsage: true }) });
    const second = await client.responses
      .stream({
        model: 'gpt-4o',
        previous_response_id: first.id,
        input: [
          { type: 'function_call_output', call_id: 'call_s1', output: 'sunny' },
          { type: 'function_call_output', call_id: 'call_s2', output: 'sunny' },
        ],
        tools: [weather],
      })
      .finalResponse();
    assert.equal(second.output_text, 'Both sunny.');
    const sent = openai.requests[1].json as { messages: unknown[] };
    assert.deepEqual(sent.messages, [
      { role: 'user', content: 'Porto and Faro?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_s1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Porto"}' },
          },
          {
            id: 'call_s2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Faro"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_s1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_s2', content: 'sunny' },
    ]);
  });
});

describe('reasoning carried by the client', () => {
  test('streamed Anthropic thinking comes back as encrypted_content and reaches Anthropic signed', async () => {
    anthropic.enqueue({
      chunks: anthropicStream({
        thinking: { text: ['Look up ', 'the weather.'], signature: 'EqQBCkYsig-responses' },
        toolUse: { id: 'toolu_r1', name: 'get_weather', input: { city: 'Bern' } },
      }),
    });
    const first = await client.responses
      .stream({
        model: 'claude-sonnet-4-6',
        input: 'Weather in Bern?',
        tools: [weather],
        store: false,
        include: ['reasoning.encrypted_content'],
        reasoning: { effort: 'low' },
      })
      .finalResponse();
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    assert.ok(reasoning?.type === 'reasoning' && reasoning.encrypted_content);
    anthropic.enqueue({ body: anthropicMessage({ text: 'Cold.' }) });
    const input: ResponseInputItem[] = [
      { role: 'user', content: 'Weather in Bern?' },
      ...(first.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: 'toolu_r1', output: '-2°C' },
    ];
    const second = await client.responses
      .create({
        model: 'claude-sonnet-4-6',
        input,
        tools: [weather],
        store: false,
        reasoning: { effort: 'low' },
      })
      .withResponse();
    assert.equal(second.data.output_text, 'Cold.');
    assert.equal(second.response.headers.get('x-switchyard-warnings'), null);
    const sent = anthropic.requests[1].json as { messages: Array<{ role: string; content: unknown }> };
    assert.deepEqual(sent.messages[1], {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Look up the weather.', signature: 'EqQBCkYsig-responses' },
        { type: 'tool_use', id: 'toolu_r1', name: 'get_weather', input: { city: 'Bern' } },
      ],
    });
  });
});
