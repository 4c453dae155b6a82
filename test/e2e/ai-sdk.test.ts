// The Vercel `ai` SDK through the real gateway: generateText and streamText run a two-step tool loop
// (the model calls get_weather, the SDK executes it, the model answers) with the OpenAI (chat and
// responses), Anthropic and Google providers pointed at Switchyard, each against a same-protocol
// upstream and a translated one.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import {
  type ProviderCase,
  type ProviderFleet,
  type ProviderName,
  startProviderFleet,
  TEXT,
  TOOL,
} from './matrix-providers.ts';

let fleet: ProviderFleet;
let gateway: TestGateway;

before(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
});
after(async () => {
  await gateway.close();
  await fleet.close();
});
beforeEach(() => {
  for (const provider of fleet.cases) provider.server.reset();
});

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** The tool call (in the assistant turn) and its result the second upstream request carries, per wire format. */
type Exchange = { callId?: string; resultCallId?: string; content: unknown };
const TOOL_RESULT_SENT: Partial<Record<ProviderName, (body: Json) => Exchange>> = {
  openai: (body) => {
    const [assistant, result] = list(body.messages).slice(-2);
    assert.equal(result.role, 'tool');
    const call = list(assistant.tool_calls)[0];
    return { callId: String(call.id), resultCallId: String(result.tool_call_id), content: result.content };
  },
  anthropic: (body) => {
    const [assistant, user] = list(body.messages).slice(-2);
    const call = list(assistant.content).find((block) => block.type === 'tool_use')!;
    const result = list(user.content)[0];
    assert.equal(result.type, 'tool_result');
    return { callId: String(call.id), resultCallId: String(result.tool_use_id), content: result.content };
  },
  gemini: (body) => {
    const [model, user] = list(body.contents).slice(-2);
    assert.equal((list(model.parts)[0].functionCall as Json).name, TOOL.name);
    const response = list(user.parts)[0].functionResponse as Json;
    assert.equal(response.name, TOOL.name);
    return { content: response.response };
  },
  bedrock: (body) => {
    const [assistant, user] = list(body.messages).slice(-2);
    const call = list(assistant.content).find((block) => block.toolUse)!.toolUse as Json;
    const result = list(user.content)[0].toolResult as Json;
    return {
      callId: String(call.toolUseId),
      resultCallId: String(result.toolUseId),
      content: result.content,
    };
  },
};

/** The tool's result as each upstream receives it, given the object the client SDK sent as the result. */
const RESULT_CONTENT: Partial<Record<ProviderName, (payload: Json) => unknown>> = {
  openai: (payload) => JSON.stringify(payload),
  anthropic: (payload) => JSON.stringify(payload),
  gemini: (payload) => payload,
  bedrock: (payload) => [{ text: JSON.stringify(payload) }],
};

const OUTPUT = { temperature: 18 };

const clientKey = 'client-key';
interface SdkModel {
  name: string;
  model: (upstream: string) => LanguageModel;
  upstreams: ProviderName[];
  /** the object the SDK sends as the tool's result (the Google provider wraps it as {name, content}) */
  resultPayload: Json;
  /** whether the upstream's tool-call id reaches the SDK and comes back (Gemini function calls carry none) */
  keepsCallId: boolean;
}

const SDK_MODELS: SdkModel[] = [
  {
    name: '@ai-sdk/openai .chat()',
    model: (id) => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: clientKey }).chat(id),
    upstreams: ['openai', 'anthropic'],
    resultPayload: OUTPUT,
    keepsCallId: true,
  },
  {
    name: '@ai-sdk/openai (responses)',
    model: (id) => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: clientKey })(id),
    upstreams: ['openai', 'gemini'],
    resultPayload: OUTPUT,
    keepsCallId: true,
  },
  {
    name: '@ai-sdk/anthropic',
    model: (id) => createAnthropic({ baseURL: `${gateway.url}/v1`, apiKey: clientKey })(id),
    upstreams: ['anthropic', 'bedrock'],
    resultPayload: OUTPUT,
    keepsCallId: true,
  },
  {
    name: '@ai-sdk/google',
    model: (id) => createGoogleGenerativeAI({ baseURL: `${gateway.url}/v1beta`, apiKey: clientKey })(id),
    upstreams: ['gemini', 'openai'],
    resultPayload: { name: TOOL.name, content: OUTPUT },
    keepsCallId: false,
  },
];

const weatherTool = tool({
  description: TOOL.description,
  inputSchema: z.object({ city: z.string(), days: z.number().int().optional() }),
  execute: async () => OUTPUT,
});

function provider(name: ProviderName): ProviderCase & { server: ProviderFleet['cases'][number]['server'] } {
  return fleet.cases.find((candidate) => candidate.name === name)!;
}

/** Two upstream calls: the first offered the tool, the second carried its result answering the call. */
function checkUpstream(upstream: ReturnType<typeof provider>, sdk: SdkModel): void {
  assert.equal(upstream.server.requests.length, 2);
  assert.deepEqual(upstream.toolNamesSent(upstream.server.requests[0].json), [TOOL.name]);
  const sent = TOOL_RESULT_SENT[upstream.name]!(upstream.server.requests[1].json as Json);
  assert.deepEqual(sent.content, RESULT_CONTENT[upstream.name]!(sdk.resultPayload));
  assert.equal(sent.resultCallId, sent.callId, 'the result answers the call');
  if (sent.callId !== undefined && sdk.keepsCallId) assert.equal(sent.callId, TOOL.id);
}

for (const sdk of SDK_MODELS) {
  describe(sdk.name, () => {
    for (const upstreamName of sdk.upstreams) {
      test(`generateText → ${upstreamName}: tool call, executed, then the answer`, async () => {
        const upstream = provider(upstreamName);
        upstream.server.enqueue(upstream.tool(false), upstream.text(false));
        const result = await generateText({
          model: sdk.model(upstream.model),
          prompt: 'What is the weather in Paris?',
          tools: { [TOOL.name]: weatherTool },
          stopWhen: stepCountIs(2),
          maxRetries: 0,
        });
        assert.equal(result.text, TEXT);
        assert.equal(result.finishReason, 'stop');
        const [call] = result.steps[0].toolCalls;
        assert.deepEqual([call.toolName, call.input], [TOOL.name, TOOL.args]);
        assert.equal(result.steps[0].finishReason, 'tool-calls');
        assert.deepEqual(result.steps[0].toolResults[0].output, OUTPUT);
        checkUpstream(upstream, sdk);
        assert.ok(result.totalUsage.inputTokens! > 0);
      });

      test(`streamText → ${upstreamName}: streamed tool input, executed, then the streamed answer`, async () => {
        const upstream = provider(upstreamName);
        upstream.server.enqueue(upstream.tool(true), upstream.text(true));
        const result = streamText({
          model: sdk.model(upstream.model),
          prompt: 'What is the weather in Paris?',
          tools: { [TOOL.name]: weatherTool },
          stopWhen: stepCountIs(2),
          maxRetries: 0,
          onError: () => {},
        });
        const parts: string[] = [];
        const errors: unknown[] = [];
        for await (const part of result.fullStream) {
          parts.push(part.type);
          if (part.type === 'error') errors.push(part.error);
        }
        assert.deepEqual(errors, []);
        assert.equal(await result.text, TEXT);
        assert.equal(await result.finishReason, 'stop');
        const steps = await result.steps;
        const [call] = steps[0].toolCalls;
        assert.deepEqual([call.toolName, call.input], [TOOL.name, TOOL.args]);
        assert.deepEqual(steps[0].toolResults[0].output, OUTPUT);
        for (const expected of [
          'tool-input-start',
          'tool-input-delta',
          'tool-call',
          'tool-result',
          'text-delta',
        ]) {
          assert.ok(parts.includes(expected), `no ${expected} in ${parts.join(',')}`);
        }
        checkUpstream(upstream, sdk);
      });
    }
  });
}

describe('@ai-sdk/openai (responses), a conversation over several turns', () => {
  test('the second turn sends the first answer back as an item_reference, which the gateway resolves from its store', async () => {
    const upstream = provider('openai');
    upstream.server.enqueue(upstream.text(false), upstream.text(false));
    const model = createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: clientKey })(upstream.model);
    const first = await generateText({ model, prompt: 'Hello?', maxRetries: 0 });
    const second = await generateText({
      model,
      maxRetries: 0,
      messages: [
        { role: 'user', content: 'Hello?' },
        ...first.response.messages,
        { role: 'user', content: 'Again?' },
      ],
    });
    assert.equal(second.text, TEXT);
    assert.deepEqual(
      list((upstream.server.requests[1].json as Json).messages).map((message) => [
        message.role,
        message.content,
      ]),
      [
        ['user', 'Hello?'],
        ['assistant', TEXT],
        ['user', 'Again?'],
      ],
    );
  });
});
