// The official openai SDK through the real gateway: opaque reasoning tokens of translated providers ride
// in OpenRouter-style `reasoning_details` on the assistant message. The client sends the message back as
// it got it (plus the tool result), and each token reaches the provider that issued it, on the block or
// the function call that carried it, and no other provider.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { converseJsonReply } from '../fakes/bedrock.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { geminiJsonReply, geminiStream } from '../fakes/gemini.ts';
import { openAICompletion } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { type ProviderFleet, type ProviderName, startProviderFleet } from './matrix-providers.ts';

const CLAUDE = 'claude-sonnet-4-6';
const GEMINI = 'gemini-2.5-flash';
const BEDROCK_CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

const WEATHER_TOOL: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const QUESTION = { role: 'user' as const, content: 'Weather in Paris?' };

/** Extended thinking (a signed block and a redacted one), text, then a tool call: Claude's answer. */
const CLAUDE_THINKING = {
  thinking: {
    text: ['The user wants ', 'the weather in Paris.'],
    signature: 'EqQBCkYIBxgCKkDsig-anthropic',
  },
  redactedThinking: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
  text: ['Let me ', 'check.'],
  toolUse: { id: 'toolu_01ChatWeather0000000', name: 'get_weather', input: { city: 'Paris' } },
};

/** What the Anthropic request of the next turn must carry for the assistant turn above. */
const CLAUDE_TURN_SENT_BACK = [
  {
    type: 'thinking',
    thinking: 'The user wants the weather in Paris.',
    signature: 'EqQBCkYIBxgCKkDsig-anthropic',
  },
  { type: 'redacted_thinking', data: CLAUDE_THINKING.redactedThinking },
  { type: 'text', text: 'Let me check.' },
  { type: 'tool_use', id: 'toolu_01ChatWeather0000000', name: 'get_weather', input: { city: 'Paris' } },
];

const CLAUDE_DETAILS = [
  {
    type: 'reasoning.text',
    text: 'The user wants the weather in Paris.',
    signature: 'EqQBCkYIBxgCKkDsig-anthropic',
    format: 'anthropic-claude-v1',
    index: 0,
  },
  {
    type: 'reasoning.encrypted',
    data: CLAUDE_THINKING.redactedThinking,
    format: 'anthropic-claude-v1',
    index: 1,
  },
];

/** Gemini thought and functionCall signatures, in the shape of the recorded Gemini 3 fixtures. */
const THOUGHT_SIGNATURE = 'EtoFCtcFAb4+9vsig-gemini-thought';
const CALL_SIGNATURE = 'EqUCCqICAb4+9vsig-gemini-call';

type Message = OpenAI.ChatCompletionMessage & { reasoning_details?: Array<Record<string, unknown>> };

let fleet: ProviderFleet;
let gateway: TestGateway;
let client: OpenAI;
const server = (name: ProviderName): FakeServer =>
  fleet.cases.find((provider) => provider.name === name)!.server;

before(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await fleet.close();
});
beforeEach(() => {
  for (const provider of fleet.cases) provider.server.reset();
});

/** The next turn as an SDK user builds it: the question, the returned message, the tool's result. */
function nextTurn(message: Message): OpenAI.ChatCompletionMessageParam[] {
  const call = message.tool_calls?.[0];
  assert.ok(call, 'the model called a tool');
  return [QUESTION, message, { role: 'tool', tool_call_id: call.id, content: '18°C and sunny' }];
}

async function ask(model: string, stream: boolean, extra: Partial<OpenAI.ChatCompletionCreateParams> = {}) {
  const request = { model, max_tokens: 4000, tools: [WEATHER_TOOL], messages: [QUESTION], ...extra };
  if (stream) {
    const final = await client.chat.completions.stream({ ...request, stream: true }).finalChatCompletion();
    return final.choices[0].message as Message;
  }
  const completion = await client.chat.completions.create({ ...request, stream: false });
  return completion.choices[0].message as Message;
}

/** Sends the next turn and returns the gateway's warnings header. */
async function answer(model: string, message: Message): Promise<string | null> {
  const next = await client.chat.completions
    .create({ model, max_tokens: 4000, tools: [WEATHER_TOOL], messages: nextTurn(message) })
    .withResponse();
  return next.response.headers.get('x-switchyard-warnings');
}

describe('Anthropic extended thinking through Chat Completions', () => {
  for (const stream of [false, true]) {
    test(`${stream ? 'streamed' : 'JSON'}: the thinking blocks come back to Anthropic with their tokens, before the tool_use`, async () => {
      const anthropic = server('anthropic');
      anthropic.enqueue(
        stream ? { chunks: anthropicStream(CLAUDE_THINKING) } : { body: anthropicMessage(CLAUDE_THINKING) },
      );
      const message = await ask(CLAUDE, stream, { reasoning_effort: 'low' });
      assert.deepEqual(message.reasoning_details, CLAUDE_DETAILS);
      assert.equal(message.tool_calls?.[0]?.id, 'toolu_01ChatWeather0000000');

      anthropic.enqueue({ body: anthropicMessage({ text: 'It is 18°C and sunny.' }) });
      const warnings = await answer(CLAUDE, message);
      assert.equal(warnings, null);
      const sent = anthropic.requests[1].json as { messages: Array<{ role: string; content: unknown }> };
      assert.deepEqual(sent.messages[1], { role: 'assistant', content: CLAUDE_TURN_SENT_BACK });
    });
  }
});

describe('Gemini thought signatures through Chat Completions', () => {
  test('JSON: the functionCall signature comes back on the functionCall part', async () => {
    const gemini = server('gemini');
    gemini.enqueue(
      geminiJsonReply({
        parts: [{ call: { name: 'get_weather', args: { city: 'Paris' } }, signature: CALL_SIGNATURE }],
      }),
    );
    const message = await ask(GEMINI, false);
    const callId = message.tool_calls?.[0]?.id;
    assert.deepEqual(message.reasoning_details, [
      { type: 'reasoning.encrypted', data: CALL_SIGNATURE, id: callId, format: 'google-gemini-v1', index: 0 },
    ]);

    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'Sunny.' }] }));
    assert.equal(await answer(GEMINI, message), null);
    const sent = gemini.requests[1].json as { contents: unknown[] };
    assert.deepEqual(sent.contents[1], {
      role: 'model',
      parts: [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: CALL_SIGNATURE },
      ],
    });
  });

  test('streamed: a signed thought and the call signature both survive the SDK accumulating the deltas', async () => {
    const gemini = server('gemini');
    gemini.enqueue(
      geminiStream([
        { parts: [{ thought: 'Weather lookup needed.', signature: THOUGHT_SIGNATURE }] },
        { parts: [{ call: { name: 'get_weather', args: { city: 'Paris' } }, signature: CALL_SIGNATURE }] },
      ]),
    );
    const message = await ask(GEMINI, true);
    assert.equal(message.reasoning_details?.length, 2);

    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'Sunny.' }] }));
    assert.equal(await answer(GEMINI, message), null);
    const sent = gemini.requests[1].json as { contents: unknown[] };
    assert.deepEqual(sent.contents[1], {
      role: 'model',
      parts: [
        { text: 'Weather lookup needed.', thought: true, thoughtSignature: THOUGHT_SIGNATURE },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: CALL_SIGNATURE },
      ],
    });
  });
});

describe('a token reaches only the provider that issued it', () => {
  test('Bedrock: its reasoning signature goes back to Bedrock through the envelope', async () => {
    const bedrock = server('bedrock');
    bedrock.enqueue(
      converseJsonReply({
        content: [
          {
            reasoningContent: { reasoningText: { text: 'Need the weather.', signature: 'sig-from-bedrock' } },
          },
          { toolUse: { toolUseId: 'tooluse_b1', name: 'get_weather', input: { city: 'Paris' } } },
        ],
        stopReason: 'tool_use',
      }),
    );
    const message = await ask(BEDROCK_CLAUDE, false, { reasoning_effort: 'low' });
    assert.equal(message.reasoning_details?.[0]?.format, 'unknown');

    bedrock.enqueue(converseJsonReply({ content: [{ text: 'Sunny.' }] }));
    assert.equal(await answer(BEDROCK_CLAUDE, message), null);
    const sent = bedrock.requests[1].json as { messages: Array<{ content: unknown }> };
    assert.deepEqual(sent.messages[1].content, [
      { reasoningContent: { reasoningText: { text: 'Need the weather.', signature: 'sig-from-bedrock' } } },
      { toolUse: { toolUseId: 'tooluse_b1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
  });

  test('switching from Claude to Gemini: the Anthropic tokens are not sent to Gemini', async () => {
    server('anthropic').enqueue({ body: anthropicMessage(CLAUDE_THINKING) });
    const message = await ask(CLAUDE, false, { reasoning_effort: 'low' });
    assert.equal(message.reasoning_details?.length, 2);

    const gemini = server('gemini');
    gemini.enqueue(geminiJsonReply({ parts: [{ text: 'Sunny.' }] }));
    await answer(GEMINI, message);
    const sent = gemini.requests[0].json as { contents: unknown[] };
    assert.deepEqual(sent.contents[1], {
      role: 'model',
      parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
    });
  });

  test('switching from Gemini to Claude: the Gemini signatures are not sent to Anthropic, and that is reported', async () => {
    server('gemini').enqueue(
      geminiJsonReply({
        parts: [
          { thought: 'Weather lookup needed.', signature: THOUGHT_SIGNATURE },
          { call: { name: 'get_weather', args: { city: 'Paris' } }, signature: CALL_SIGNATURE },
        ],
      }),
    );
    const message = await ask(GEMINI, false);
    const callId = message.tool_calls?.[0]?.id;

    const anthropic = server('anthropic');
    anthropic.enqueue({ body: anthropicMessage({ text: 'Sunny.' }) });
    const warnings = await answer(CLAUDE, message);
    assert.match(warnings ?? '', /reasoning signed by gemini/);
    const sent = anthropic.requests[0].json as { messages: Array<{ role: string; content: unknown }> };
    assert.deepEqual(sent.messages[1], {
      role: 'assistant',
      content: [{ type: 'tool_use', id: callId, name: 'get_weather', input: { city: 'Paris' } }],
    });
  });
});

describe('passthrough to an OpenAI-compatible host', () => {
  test('reasoning_details go upstream exactly as the client sent them', async () => {
    const openai = server('openai');
    openai.enqueue(openAICompletion({ content: 'Sunny.' }));
    const assistant = {
      role: 'assistant' as const,
      content: null,
      tool_calls: [
        {
          id: 'call_1',
          type: 'function' as const,
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ],
      reasoning_details: [
        {
          type: 'reasoning.encrypted',
          data: CALL_SIGNATURE,
          id: 'call_1',
          format: 'google-gemini-v1',
          index: 0,
        },
      ],
    };
    const messages = [
      QUESTION,
      assistant,
      { role: 'tool' as const, tool_call_id: 'call_1', content: '18°C' },
    ];
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    assert.deepEqual((openai.requests[0].json as { messages: unknown }).messages, messages);
  });
});
