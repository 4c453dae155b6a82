// The provider side of the cross matrix: one fake upstream per provider, and for each the scripted
// replies (text, tool call, error; JSON and streamed) in that provider's real wire format.

import type { ConfigFile } from '../../src/config/schema.ts';
import { anthropicError, anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import {
  bedrockErrorReply,
  converseJsonReply,
  converseStreamReply,
  encodeConverseStream,
} from '../fakes/bedrock.ts';
import { cohereErrorReply, cohereJsonReply, cohereStreamReply } from '../fakes/cohere.ts';
import { type FakeServer, type ScriptedReply, startFakeServer } from '../fakes/fake-server.ts';
import { geminiErrorReply, geminiJsonReply, geminiStream, geminiToolCallStream } from '../fakes/gemini.ts';
import {
  openAICompletion,
  openAIError,
  openAITextStreamChunks,
  openAIToolStreamChunks,
} from '../fakes/openai.ts';

/** The answer every provider gives in the text cells, split into stream pieces. */
export const TEXT_PIECES = ['Hello', ' from', ' the matrix.'];
export const TEXT = TEXT_PIECES.join('');

/** The one tool every ingress offers and every provider calls. */
export const TOOL = {
  id: 'call_matrix_0001',
  name: 'get_weather',
  description: 'Current weather for a city',
  args: { city: 'Paris', days: 3 },
  parameters: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
  },
};

const ARGS_JSON = JSON.stringify(TOOL.args);
const ARG_PIECES = [ARGS_JSON.slice(0, 9), ARGS_JSON.slice(9)];

export type ProviderName = 'openai' | 'anthropic' | 'gemini' | 'bedrock' | 'cohere';

export interface ProviderCase {
  name: ProviderName;
  /** a bare model name the gateway infers this provider from */
  model: string;
  text(stream: boolean): ScriptedReply;
  tool(stream: boolean): ScriptedReply;
  /** an HTTP error in the provider's format; `status` is what every client must see */
  error: { status: number; reply: ScriptedReply };
  /** the tool names found in the upstream request body */
  toolNamesSent(body: unknown): string[];
}

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => (value ?? {}) as Json;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

const openai: Omit<ProviderCase, 'model'> = {
  name: 'openai',
  text: (stream) =>
    stream
      ? { chunks: openAITextStreamChunks({ pieces: TEXT_PIECES, includeUsage: true }) }
      : openAICompletion({ content: TEXT }),
  tool: (stream) =>
    stream
      ? {
          chunks: openAIToolStreamChunks({
            calls: [{ id: TOOL.id, name: TOOL.name, argumentPieces: ARG_PIECES }],
            includeUsage: true,
          }),
        }
      : openAICompletion({
          content: null,
          toolCalls: [{ id: TOOL.id, name: TOOL.name, arguments: ARGS_JSON }],
        }),
  error: {
    status: 429,
    reply: openAIError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
  },
  toolNamesSent: (body) => list(asJson(body).tools).map((tool) => String(asJson(tool.function).name)),
};

const anthropicToolUse = { id: TOOL.id, name: TOOL.name, input: TOOL.args, chunks: ['', ...ARG_PIECES] };

const anthropic: Omit<ProviderCase, 'model'> = {
  name: 'anthropic',
  text: (stream) =>
    stream ? { chunks: anthropicStream({ text: TEXT_PIECES }) } : { body: anthropicMessage({ text: TEXT }) },
  tool: (stream) =>
    stream
      ? { chunks: anthropicStream({ toolUse: anthropicToolUse }) }
      : { body: anthropicMessage({ toolUse: anthropicToolUse }) },
  error: { status: 529, reply: anthropicError(529, 'overloaded_error', 'Overloaded') },
  toolNamesSent: (body) => list(asJson(body).tools).map((tool) => String(tool.name)),
};

const gemini: Omit<ProviderCase, 'model'> = {
  name: 'gemini',
  text: (stream) =>
    stream
      ? geminiStream(
          TEXT_PIECES.map((text) => ({ parts: [{ text }] })),
          { usage: { prompt: 8, candidates: 3 } },
        )
      : geminiJsonReply({ parts: [{ text: TEXT }], usage: { prompt: 8, candidates: 3 } }),
  tool: (stream) =>
    stream
      ? geminiToolCallStream([{ name: TOOL.name, args: { ...TOOL.args } }])
      : geminiJsonReply({
          parts: [{ call: { name: TOOL.name, args: { ...TOOL.args } }, signature: 'c2lnLW1hdHJpeA==' }],
          usage: { prompt: 20, candidates: 10 },
        }),
  error: {
    status: 503,
    reply: geminiErrorReply(503, 'The model is overloaded. Please try again later.', 'UNAVAILABLE'),
  },
  toolNamesSent: (body) =>
    list(asJson(body).tools).flatMap((tool) =>
      list(tool.functionDeclarations).map((declaration) => String(declaration.name)),
    ),
};

const converseMetadata = {
  'event-type': 'metadata',
  payload: { usage: { inputTokens: 12, outputTokens: 6, totalTokens: 18 }, metrics: { latencyMs: 120 } },
};

const bedrock: Omit<ProviderCase, 'model'> = {
  name: 'bedrock',
  text: (stream) =>
    stream
      ? converseStreamReply(
          encodeConverseStream([
            { 'event-type': 'messageStart', payload: { role: 'assistant' } },
            ...TEXT_PIECES.map((text) => ({
              'event-type': 'contentBlockDelta',
              payload: { contentBlockIndex: 0, delta: { text } },
            })),
            { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
            { 'event-type': 'messageStop', payload: { stopReason: 'end_turn' } },
            converseMetadata,
          ]),
        )
      : converseJsonReply({ content: [{ text: TEXT }] }),
  tool: (stream) =>
    stream
      ? converseStreamReply(
          encodeConverseStream([
            { 'event-type': 'messageStart', payload: { role: 'assistant' } },
            {
              'event-type': 'contentBlockStart',
              payload: { contentBlockIndex: 0, start: { toolUse: { toolUseId: TOOL.id, name: TOOL.name } } },
            },
            ...ARG_PIECES.map((input) => ({
              'event-type': 'contentBlockDelta',
              payload: { contentBlockIndex: 0, delta: { toolUse: { input } } },
            })),
            { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
            { 'event-type': 'messageStop', payload: { stopReason: 'tool_use' } },
            converseMetadata,
          ]),
        )
      : converseJsonReply({
          content: [{ toolUse: { toolUseId: TOOL.id, name: TOOL.name, input: TOOL.args } }],
          stopReason: 'tool_use',
        }),
  error: {
    status: 400,
    reply: bedrockErrorReply(400, 'ValidationException', 'The provided model identifier is invalid.'),
  },
  toolNamesSent: (body) =>
    list(asJson(asJson(body).toolConfig).tools).map((tool) => String(asJson(tool.toolSpec).name)),
};

const cohereCall = [{ id: TOOL.id, name: TOOL.name, arguments: ARGS_JSON }];

const cohere: Omit<ProviderCase, 'model'> = {
  name: 'cohere',
  text: (stream) => (stream ? cohereStreamReply({ text: TEXT }) : cohereJsonReply({ text: TEXT })),
  tool: (stream) =>
    stream ? cohereStreamReply({ toolCalls: cohereCall }) : cohereJsonReply({ toolCalls: cohereCall }),
  error: { status: 422, reply: cohereErrorReply(422, 'invalid request: message must not be empty') },
  toolNamesSent: (body) => list(asJson(body).tools).map((tool) => String(asJson(tool.function).name)),
};

export interface ProviderFleet {
  cases: Array<ProviderCase & { server: FakeServer }>;
  env: NodeJS.ProcessEnv;
  /** pins every model id these tests use to exactly one provider (see PINNED_MODELS) */
  config: ConfigFile;
  close(): Promise<void>;
}

/**
 * The model ids the tests use, each pinned to one provider. With every provider active, a bare id can
 * otherwise be served by several (Claude by Anthropic and Bedrock): the built-in catalogue makes it an
 * aggregate, ranked by live health, and an error on one deployment falls through to the next. A config
 * entry with the same id replaces the catalogue's.
 */
export const PINNED_MODELS: Record<string, ProviderName> = {
  'gpt-4o': 'openai',
  'gpt-4o-mini': 'openai',
  'claude-sonnet-4-6': 'anthropic',
  'gemini-2.5-flash': 'gemini',
  'us.anthropic.claude-3-5-haiku-20241022-v1:0': 'bedrock',
  'us.anthropic.claude-sonnet-4-20250514-v1:0': 'bedrock',
  'command-a-03-2025': 'cohere',
};

/** One fake server per provider, and the environment that activates each against its fake. */
export async function startProviderFleet(): Promise<ProviderFleet> {
  const [o, a, g, b, c] = await Promise.all([
    startFakeServer(),
    startFakeServer(),
    startFakeServer(),
    startFakeServer(),
    startFakeServer(),
  ]);
  const cases = [
    { ...openai, model: 'gpt-4o-mini', server: o },
    { ...anthropic, model: 'claude-sonnet-4-6', server: a },
    { ...gemini, model: 'gemini-2.5-flash', server: g },
    { ...bedrock, model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', server: b },
    { ...cohere, model: 'command-a-03-2025', server: c },
  ];
  const env = {
    OPENAI_API_KEY: 'sk-matrix-openai',
    OPENAI_BASE_URL: `${o.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-matrix',
    ANTHROPIC_BASE_URL: a.url,
    GEMINI_API_KEY: 'gemini-matrix-key',
    GEMINI_BASE_URL: g.url,
    AWS_ACCESS_KEY_ID: 'AKIAMATRIX000000',
    AWS_SECRET_ACCESS_KEY: 'matrix-secret',
    AWS_REGION: 'us-east-1',
    BEDROCK_BASE_URL: b.url,
    COHERE_API_KEY: 'co-matrix-key',
    COHERE_BASE_URL: c.url,
  };
  const models = Object.entries(PINNED_MODELS).map(([id, provider]) => ({
    id,
    deployments: [{ provider, model: id }],
  }));
  return {
    cases,
    env,
    config: { models },
    close: async () => void (await Promise.all(cases.map((x) => x.server.close()))),
  };
}
