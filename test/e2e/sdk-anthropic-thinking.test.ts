// The official @anthropic-ai/sdk through the real gateway: thinking blocks and their signatures across
// turns. A signature goes back to the provider that issued it (Anthropic, Bedrock, Gemini — the last two
// through the envelope the Anthropic ingress wraps foreign tokens in), and never to another one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { converseStreamReply, encodeConverseStream } from '../fakes/bedrock.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply, geminiStream } from '../fakes/gemini.ts';
import { BEDROCK_CLAUDE, CLAUDE, thinkingReply, useGateway, WEATHER_TOOL } from './sdk-anthropic-shared.ts';

let client: Anthropic;
let anthropic: FakeServer;
let gemini: FakeServer;
let bedrock: FakeServer;
useGateway((setup) => {
  client = setup.client;
  [anthropic, gemini, bedrock] = (['anthropic', 'gemini', 'bedrock'] as const).map((name) =>
    setup.server(name),
  );
});

describe('thinking signatures across turns', () => {
  const secondTurn = (first: Anthropic.Message) => {
    const call = first.content.find((block) => block.type === 'tool_use');
    assert.ok(call);
    return [
      { role: 'user' as const, content: 'Weather in Paris?' },
      { role: 'assistant' as const, content: first.content },
      {
        role: 'user' as const,
        content: [{ type: 'tool_result' as const, tool_use_id: call.id, content: '18°C and sunny' }],
      },
    ];
  };

  test('Anthropic: the thinking block goes back to Anthropic with its signature', async () => {
    anthropic.enqueue({ chunks: anthropicStream(thinkingReply) });
    const request = {
      model: CLAUDE,
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      tools: [WEATHER_TOOL],
    };
    const first = await client.messages
      .stream({ ...request, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage();
    anthropic.enqueue({ body: anthropicMessage({ text: 'It is 18°C and sunny.' }) });
    const second = await client.messages.create({ ...request, messages: secondTurn(first) });
    assert.equal(second.content[0].type === 'text' && second.content[0].text, 'It is 18°C and sunny.');
    const sent = anthropic.requests[1].json as { messages: Array<{ content: unknown }> };
    assert.deepEqual(sent.messages[1].content, [
      {
        type: 'thinking',
        thinking: 'The user wants the weather in Paris.',
        signature: 'EqQBCkYIBxgCKkDsig-anthropic',
      },
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool_use',
        id: 'toolu_01SdkWeather00000000',
        name: 'get_weather',
        input: { city: 'Paris', unit: 'celsius' },
      },
    ]);
  });

  test('Bedrock (Claude): reasoning streamed through the Anthropic SDK goes back to Bedrock with its signature', async () => {
    bedrock.enqueue(
      converseStreamReply(
        encodeConverseStream([
          { 'event-type': 'messageStart', payload: { role: 'assistant' } },
          {
            'event-type': 'contentBlockDelta',
            payload: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Need the weather.' } } },
          },
          {
            'event-type': 'contentBlockDelta',
            payload: { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig-from-bedrock' } } },
          },
          { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
          {
            'event-type': 'contentBlockStart',
            payload: {
              contentBlockIndex: 1,
              start: { toolUse: { toolUseId: 'tooluse_b1', name: 'get_weather' } },
            },
          },
          {
            'event-type': 'contentBlockDelta',
            payload: { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":"Paris"}' } } },
          },
          { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 1 } },
          { 'event-type': 'messageStop', payload: { stopReason: 'tool_use' } },
          {
            'event-type': 'metadata',
            payload: {
              usage: { inputTokens: 50, outputTokens: 20, totalTokens: 70 },
              metrics: { latencyMs: 9 },
            },
          },
        ]),
      ),
    );
    const request = {
      model: BEDROCK_CLAUDE,
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      tools: [WEATHER_TOOL],
    };
    const first = await client.messages
      .stream({ ...request, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage();
    assert.equal(first.content[0].type, 'thinking');
    bedrock.enqueue({
      status: 200,
      body: {
        output: { message: { role: 'assistant', content: [{ text: 'Sunny.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 80, outputTokens: 2, totalTokens: 82 },
        metrics: { latencyMs: 5 },
      },
    });
    const second = await client.messages.create({ ...request, messages: secondTurn(first) }).withResponse();
    assert.equal(second.response.headers.get('x-switchyard-warnings'), null);
    const sent = bedrock.requests[1].json as { messages: Array<{ content: unknown }> };
    assert.deepEqual(sent.messages[1].content, [
      { reasoningContent: { reasoningText: { text: 'Need the weather.', signature: 'sig-from-bedrock' } } },
      { toolUse: { toolUseId: 'tooluse_b1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
  });

  test('Gemini: a thought and a function call signature go back to Gemini on the parts that carried them', async () => {
    gemini.enqueue(
      geminiStream([
        { parts: [{ thought: 'Weather lookup needed.', signature: 'Z2VtaW5pLXRob3VnaHQ=' }] },
        {
          parts: [{ call: { name: 'get_weather', args: { city: 'Paris' } }, signature: 'Z2VtaW5pLWNhbGw=' }],
        },
      ]),
    );
    const request = { model: 'gemini-2.5-flash', max_tokens: 1024, tools: [WEATHER_TOOL] };
    const first = await client.messages
      .stream({ ...request, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage();
    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'Sunny.' }] }));
    const second = await client.messages.create({ ...request, messages: secondTurn(first) }).withResponse();
    assert.equal(second.response.headers.get('x-switchyard-warnings'), null);
    const sent = gemini.requests[1].json as { contents: Array<{ role: string; parts: unknown }> };
    assert.deepEqual(sent.contents[1], {
      role: 'model',
      parts: [
        { text: 'Weather lookup needed.', thought: true, thoughtSignature: 'Z2VtaW5pLXRob3VnaHQ=' },
        {
          functionCall: { name: 'get_weather', args: { city: 'Paris' } },
          thoughtSignature: 'Z2VtaW5pLWNhbGw=',
        },
      ],
    });
  });

  test('switching to Claude (passthrough) after Gemini: the Gemini-signed blocks are left out of the body', async () => {
    gemini.enqueue(
      geminiStream([
        { parts: [{ thought: 'Weather lookup needed.', signature: 'Z2VtaW5pLXRob3VnaHQ=' }] },
        {
          parts: [{ call: { name: 'get_weather', args: { city: 'Paris' } }, signature: 'Z2VtaW5pLWNhbGw=' }],
        },
      ]),
    );
    const first = await client.messages
      .stream({
        model: 'gemini-2.5-flash',
        max_tokens: 1024,
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    assert.deepEqual(
      first.content.map((block) => block.type),
      ['thinking', 'thinking', 'tool_use'],
    );
    anthropic.enqueue({ body: anthropicMessage({ text: 'Sunny.' }) });
    await client.messages.create({
      model: CLAUDE,
      max_tokens: 1024,
      tools: [WEATHER_TOOL],
      messages: secondTurn(first),
    });
    const sent = anthropic.requests[0].json as { messages: Array<{ content: unknown }> };
    const call = first.content[2];
    assert.ok(call.type === 'tool_use');
    assert.deepEqual(sent.messages[1].content, [
      { type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Paris' } },
    ]);
  });

  test('a signature is never sent to a provider that did not issue it: dropped, with a warning', async () => {
    anthropic.enqueue({ chunks: anthropicStream(thinkingReply) });
    const first = await client.messages
      .stream({
        model: CLAUDE,
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    bedrock.enqueue({
      status: 200,
      body: {
        output: { message: { role: 'assistant', content: [{ text: 'Sunny.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 80, outputTokens: 2, totalTokens: 82 },
        metrics: { latencyMs: 5 },
      },
    });
    const second = await client.messages
      .create({ model: BEDROCK_CLAUDE, max_tokens: 512, tools: [WEATHER_TOOL], messages: secondTurn(first) })
      .withResponse();
    assert.match(second.response.headers.get('x-switchyard-warnings') ?? '', /reasoning/);
    const sent = bedrock.requests[0].json as { messages: Array<{ content: unknown }> };
    assert.deepEqual(sent.messages[1].content, [
      { text: 'Let me check.' },
      {
        toolUse: {
          toolUseId: 'toolu_01SdkWeather00000000',
          name: 'get_weather',
          input: { city: 'Paris', unit: 'celsius' },
        },
      },
    ]);
  });
});
