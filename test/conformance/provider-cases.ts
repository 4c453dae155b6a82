// The providers of the conformance suite: for each, its adapter, an instance pointed at a fake upstream,
// and builders of that provider's real wire replies for every scenario. Every reply uses the same
// numbers so one expectation fits all: the answer TEXT, the tool call CALL, the JSON object CITY, and
// usage of 12 prompt tokens (4 of them cache reads) and 7 output tokens.
import type { ProviderAdapter, ProviderInstance, Target } from '../../src/core/adapters.ts';
import anthropic from '../../src/providers/anthropic/index.ts';
import azure from '../../src/providers/azure/index.ts';
import bedrock from '../../src/providers/bedrock/index.ts';
import cohere from '../../src/providers/cohere/index.ts';
import gemini from '../../src/providers/gemini/index.ts';
import openAICompatible from '../../src/providers/openai-compatible/index.ts';
import vertex from '../../src/providers/vertex/index.ts';
import { makeServiceAccount, tokenEndpoint } from '../../src/providers/vertex/test-helpers.ts';
import { anthropicError, anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { bedrockErrorReply, converseJsonReply, converseStreamReply } from '../fakes/bedrock.ts';
import { cohereErrorReply, cohereJsonReply, cohereStreamReply } from '../fakes/cohere.ts';
import {
  type FakeServer,
  type RecordedRequest,
  type ScriptedReply,
  startFakeServer,
} from '../fakes/fake-server.ts';
import { geminiJsonReply, geminiRateLimited, geminiStream, geminiToolCallStream } from '../fakes/gemini.ts';
import { openAICompletion, openAIError } from '../fakes/openai.ts';
import { BEDROCK_USAGE, converseFrames, event, textDeltas, toolBlock } from './converse-frames.ts';
import { openAIChunks } from './openai-chunks.ts';

export const TEXT_PIECES = ['Hello', ' from', ' upstream.'];
export const TEXT = TEXT_PIECES.join('');
export const REASONING_PIECES = ['Thinking', ' it over.'];
export const CALL = { id: 'call_conformance_1', name: 'get_weather', args: { city: 'Paris', unit: 'c' } };
export const CALL_JSON = JSON.stringify(CALL.args);
export const CITY = { city: 'Paris', population: 2102650 };
const CITY_JSON = JSON.stringify(CITY);
export const RETRY_AFTER_SECONDS = 7;
const split = (text: string) => [text.slice(0, 6), text.slice(6)];

export type Scenario = 'reasoning-stream' | 'image-url';

/** How an image given by URL reaches the provider: passed as a URL, or fetched and inlined. */
export interface ImageExpectation {
  /** the gateway must download it (the provider takes only inline bytes) */
  fetched: boolean;
  /** the image as it must appear in the first user message of the upstream body */
  part(url: string, mediaType: string, data: string): unknown;
  /** the parts of the first user message of a recorded upstream body */
  userParts(body: unknown): unknown[];
}

type Json = Record<string, unknown>;
const firstContent = (key: string, inner: string) => (body: unknown) =>
  ((((body as Json)[key] as Json[])[0] as Json)[inner] as unknown[]) ?? [];

export interface ProviderCase {
  name: string;
  adapter: ProviderAdapter;
  /** starts the fake upstream(s); the target points at them */
  setup(): Promise<{ target: Target; upstream: FakeServer; close(): Promise<void> }>;
  /** whether the recorded upstream request asked for a stream */
  askedToStream(request: RecordedRequest): boolean;
  text(stream: boolean): ScriptedReply;
  toolCall(stream: boolean): ScriptedReply;
  /** the reply to a json-schema request (a forced tool's call where the provider has no JSON mode) */
  json(stream: boolean): ScriptedReply;
  reasoning?(): ScriptedReply;
  rateLimited(): ScriptedReply;
  /** a stream that ends without the provider's end of response */
  truncated(): ScriptedReply;
  /** the provider sends no tool-call ids; the adapter makes them up */
  madeUpToolIds?: boolean;
  image?: ImageExpectation;
  skip?: Partial<Record<Scenario, string>>;
}

const target = (provider: ProviderInstance, model: string): Target => ({
  provider,
  deployment: { provider: provider.id, model },
  modelId: model,
});

async function single(build: (url: string) => ProviderInstance, model: string) {
  const upstream = await startFakeServer();
  return { target: target(build(upstream.url), model), upstream, close: () => upstream.close() };
}

const jsonBody = (request: RecordedRequest) => (request.json ?? {}) as { stream?: boolean };

// ---- OpenAI Chat wire (OpenAI, Azure, DeepSeek) ----
const OPENAI_USAGE = { prompt: 12, completion: 7, cached: 4 };
function openAIWire(reasoning: boolean): Omit<ProviderCase, 'name' | 'adapter' | 'setup'> {
  return {
    askedToStream: (request) => jsonBody(request).stream === true,
    text: (stream) =>
      stream
        ? { chunks: openAIChunks({ pieces: TEXT_PIECES, usage: OPENAI_USAGE }) }
        : openAICompletion({ content: TEXT, usage: OPENAI_USAGE }),
    toolCall: (stream) =>
      stream
        ? {
            chunks: openAIChunks({
              call: { id: CALL.id, name: CALL.name, pieces: split(CALL_JSON) },
              usage: OPENAI_USAGE,
            }),
          }
        : openAICompletion({
            content: null,
            toolCalls: [{ id: CALL.id, name: CALL.name, arguments: CALL_JSON }],
          }),
    json: (stream) =>
      stream
        ? { chunks: openAIChunks({ pieces: split(CITY_JSON), usage: OPENAI_USAGE }) }
        : openAICompletion({ content: CITY_JSON }),
    ...(reasoning && {
      reasoning: () => ({
        chunks: openAIChunks({ reasoning: REASONING_PIECES, pieces: TEXT_PIECES, usage: OPENAI_USAGE }),
      }),
    }),
    rateLimited: () => ({
      ...openAIError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    }),
    truncated: () => ({ chunks: openAIChunks({ pieces: TEXT_PIECES, usage: OPENAI_USAGE }).slice(0, 3) }),
    image: {
      fetched: false,
      part: (url) => ({ type: 'image_url', image_url: { url } }),
      userParts: firstContent('messages', 'content'),
    },
    skip: reasoning ? {} : { 'reasoning-stream': 'OpenAI Chat Completions returns no reasoning text' },
  };
}

// ---- Anthropic Messages wire (Anthropic, Vertex Claude) ----
const ANTHROPIC_USAGE = { input_tokens: 8, cache_read_input_tokens: 4, output_tokens: 7 };
const anthropicWire: Omit<ProviderCase, 'name' | 'adapter' | 'setup' | 'askedToStream'> = {
  text: (stream) =>
    stream
      ? { chunks: anthropicStream({ text: TEXT_PIECES, usage: ANTHROPIC_USAGE }) }
      : { body: anthropicMessage({ text: TEXT, usage: ANTHROPIC_USAGE }) },
  toolCall: (stream) => {
    const toolUse = { id: CALL.id, name: CALL.name, input: CALL.args, chunks: ['', ...split(CALL_JSON)] };
    return stream ? { chunks: anthropicStream({ toolUse }) } : { body: anthropicMessage({ toolUse }) };
  },
  json: (stream) => {
    const toolUse = { id: 'toolu_json', name: 'city_info', input: CITY, chunks: split(CITY_JSON) };
    return stream ? { chunks: anthropicStream({ toolUse }) } : { body: anthropicMessage({ toolUse }) };
  },
  reasoning: () => ({
    chunks: anthropicStream({ thinking: { text: REASONING_PIECES, signature: 'c2ln' }, text: TEXT_PIECES }),
  }),
  rateLimited: () =>
    anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', {
      'retry-after': String(RETRY_AFTER_SECONDS),
    }),
  truncated: () => ({ chunks: anthropicStream({ text: TEXT_PIECES }).slice(0, -2) }),
  image: {
    fetched: false,
    part: (url) => ({ type: 'image', source: { type: 'url', url } }),
    userParts: firstContent('messages', 'content'),
  },
};

// ---- Gemini wire (Gemini API, Vertex Gemini) ----
const GEMINI_USAGE = { prompt: 12, candidates: 7, cached: 4 };
const geminiWire: Omit<ProviderCase, 'name' | 'adapter' | 'setup'> = {
  askedToStream: (request) => request.url.includes(':streamGenerateContent?alt=sse'),
  text: (stream) =>
    stream
      ? geminiStream(
          TEXT_PIECES.map((text) => ({ parts: [{ text }] })),
          { usage: GEMINI_USAGE },
        )
      : geminiJsonReply({ parts: [{ text: TEXT }], usage: GEMINI_USAGE }),
  toolCall: (stream) =>
    stream
      ? geminiToolCallStream([{ name: CALL.name, args: CALL.args }])
      : geminiJsonReply({ parts: [{ call: { name: CALL.name, args: CALL.args } }] }),
  json: (stream) =>
    stream
      ? geminiStream(split(CITY_JSON).map((text) => ({ parts: [{ text }] })))
      : geminiJsonReply({ parts: [{ text: CITY_JSON }] }),
  reasoning: () =>
    geminiStream([
      ...REASONING_PIECES.map((thought) => ({ parts: [{ thought }] })),
      ...TEXT_PIECES.map((text) => ({ parts: [{ text }] })),
    ]),
  rateLimited: () => geminiRateLimited(RETRY_AFTER_SECONDS),
  truncated: () =>
    geminiStream(
      TEXT_PIECES.map((text) => ({ parts: [{ text }] })),
      { finishReason: null },
    ),
  madeUpToolIds: true,
  image: {
    fetched: true,
    part: (_url, mimeType, data) => ({ inlineData: { mimeType, data } }),
    userParts: firstContent('contents', 'parts'),
  },
};

export const PROVIDER_CASES: ProviderCase[] = [
  {
    name: 'openai',
    adapter: openAICompatible.adapter,
    setup: () =>
      single(
        (url) => openAICompatible.fromEnv({ OPENAI_API_KEY: 'sk-conf', OPENAI_BASE_URL: `${url}/v1` })[0],
        'gpt-4o-mini',
      ),
    ...openAIWire(false),
  },
  {
    name: 'deepseek (OpenAI-compatible preset)',
    adapter: openAICompatible.adapter,
    setup: () =>
      single(
        (url) => openAICompatible.fromEnv({ DEEPSEEK_API_KEY: 'sk-ds', DEEPSEEK_BASE_URL: url })[0],
        'deepseek-reasoner',
      ),
    ...openAIWire(true),
  },
  {
    name: 'azure',
    adapter: azure.adapter,
    setup: () =>
      single(
        (url) => azure.fromEnv({ AZURE_OPENAI_API_KEY: 'az-conf', AZURE_OPENAI_ENDPOINT: url })[0],
        'prod-gpt4o',
      ),
    ...openAIWire(false),
  },
  {
    name: 'anthropic',
    adapter: anthropic.adapter,
    setup: () =>
      single(
        (url) => anthropic.fromEnv({ ANTHROPIC_API_KEY: 'sk-ant-conf', ANTHROPIC_BASE_URL: url })[0],
        'claude-sonnet-4-5',
      ),
    askedToStream: (request) => jsonBody(request).stream === true,
    ...anthropicWire,
  },
  {
    name: 'gemini',
    adapter: gemini.adapter,
    setup: () =>
      single(
        (url) => gemini.fromEnv({ GEMINI_API_KEY: 'g-conf', GEMINI_BASE_URL: url })[0],
        'gemini-2.5-flash',
      ),
    ...geminiWire,
  },
  {
    name: 'vertex (Gemini model)',
    adapter: vertex.adapter,
    setup: () => vertexSetup('gemini-2.5-pro'),
    ...geminiWire,
  },
  {
    name: 'vertex (Claude model)',
    adapter: vertex.adapter,
    setup: () => vertexSetup('claude-sonnet-4-5@20250929'),
    askedToStream: (request) => request.url.endsWith(':streamRawPredict'),
    ...anthropicWire,
  },
  {
    name: 'bedrock',
    adapter: bedrock.adapter,
    setup: () =>
      single(
        (url) =>
          bedrock.fromEnv({
            AWS_ACCESS_KEY_ID: 'AKIACONF',
            AWS_SECRET_ACCESS_KEY: 'conf-secret',
            BEDROCK_BASE_URL: url,
          })[0],
        'anthropic.claude-3-7-sonnet-20250219-v1:0',
      ),
    askedToStream: (request) => request.url.endsWith('/converse-stream'),
    text: (stream) =>
      stream
        ? converseStreamReply(
            converseFrames(
              [...textDeltas(TEXT_PIECES), event('contentBlockStop', { contentBlockIndex: 0 })],
              'end_turn',
            ),
          )
        : converseJsonReply({ content: [{ text: TEXT }], usage: BEDROCK_USAGE }),
    toolCall: (stream) =>
      stream
        ? converseStreamReply(converseFrames(toolBlock(CALL.id, CALL.name, split(CALL_JSON)), 'tool_use'))
        : converseJsonReply({
            content: [{ toolUse: { toolUseId: CALL.id, name: CALL.name, input: CALL.args } }],
            stopReason: 'tool_use',
          }),
    json: (stream) =>
      stream
        ? converseStreamReply(converseFrames(toolBlock('tooluse_json', 'json', split(CITY_JSON)), 'tool_use'))
        : converseJsonReply({
            content: [{ toolUse: { toolUseId: 'tooluse_json', name: 'json', input: CITY } }],
            stopReason: 'tool_use',
          }),
    reasoning: () =>
      converseStreamReply(
        converseFrames(
          [
            ...REASONING_PIECES.map((text) =>
              event('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text } } }),
            ),
            event('contentBlockDelta', {
              contentBlockIndex: 0,
              delta: { reasoningContent: { signature: 'c2ln' } },
            }),
            event('contentBlockStop', { contentBlockIndex: 0 }),
            ...textDeltas(TEXT_PIECES, 1),
            event('contentBlockStop', { contentBlockIndex: 1 }),
          ],
          'end_turn',
        ),
      ),
    rateLimited: () =>
      bedrockErrorReply(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', {
        'retry-after': String(RETRY_AFTER_SECONDS),
      }),
    truncated: () => converseStreamReply(converseFrames(textDeltas(TEXT_PIECES), 'end_turn', false)),
    image: {
      fetched: true,
      part: (_url, mediaType, bytes) => ({
        image: { format: mediaType.replace('image/', ''), source: { bytes } },
      }),
      userParts: firstContent('messages', 'content'),
    },
  },
  {
    name: 'cohere',
    adapter: cohere.adapter,
    setup: () =>
      single(
        (url) => cohere.fromEnv({ COHERE_API_KEY: 'co-conf', COHERE_BASE_URL: url })[0],
        'command-a-03-2025',
      ),
    askedToStream: (request) => jsonBody(request).stream === true,
    text: (stream) => {
      const reply = { text: TEXT, usage: { input: 12, output: 7, cached: 4 } };
      return stream ? cohereStreamReply(reply) : cohereJsonReply(reply);
    },
    toolCall: (stream) => {
      const reply = { toolCalls: [{ id: CALL.id, name: CALL.name, arguments: CALL_JSON }] };
      return stream ? cohereStreamReply(reply) : cohereJsonReply(reply);
    },
    json: (stream) =>
      stream ? cohereStreamReply({ text: CITY_JSON }) : cohereJsonReply({ text: CITY_JSON }),
    reasoning: () => cohereStreamReply({ thinking: REASONING_PIECES.join(''), text: TEXT }),
    rateLimited: () =>
      cohereErrorReply(429, 'You are using a Trial key, which is limited to 10 API calls / minute.', {
        'retry-after': String(RETRY_AFTER_SECONDS),
      }),
    truncated: () => cohereStreamReply({ text: TEXT }, { omitEnd: true }),
    image: {
      fetched: false,
      part: (url) => ({ type: 'image_url', image_url: { url } }),
      userParts: firstContent('messages', 'content'),
    },
  },
];

/** Vertex needs a token endpoint too: a fake Google OAuth server that checks the service account's JWT. */
async function vertexSetup(model: string) {
  const [upstream, google] = await Promise.all([startFakeServer(), startFakeServer()]);
  const account = makeServiceAccount(`${google.url}/token`);
  google.setFallback(tokenEndpoint(account.publicKey).reply);
  const [instance] = vertex.fromEnv({
    GOOGLE_APPLICATION_CREDENTIALS: account.file,
    VERTEX_PROJECT: 'demo-project',
    VERTEX_BASE_URL: upstream.url,
  });
  return {
    target: target(instance, model),
    upstream,
    close: async () => {
      await Promise.all([upstream.close(), google.close()]);
    },
  };
}
