// Shared pieces of the per-provider end-to-end tests (test/e2e/providers-*.test.ts): the tool and the JSON
// schema every provider is asked for, and small readers for what the official openai SDK hands back.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { startTestGateway, type TestGateway } from './gateway.ts';

export const WEATHER_PARAMETERS = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
};

export const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: WEATHER_PARAMETERS,
  },
};

export const WEATHER_ARGS = { city: 'Paris', unit: 'c' };

export const CITY_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  required: ['city', 'population'],
  additionalProperties: false,
};

export const CITY_FORMAT = {
  type: 'json_schema' as const,
  json_schema: { name: 'city_info', schema: CITY_SCHEMA, strict: true },
};

export const CITY = { city: 'Paris', population: 2102650 };

export function gatewayClient(gatewayUrl: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
}

export async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Every `delta.tool_calls` entry of a stream, in order. */
export function toolCallDeltas(chunks: ChatCompletionChunk[]): unknown[] {
  return chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []);
}

/** Every non-empty `delta.reasoning_content` of a stream, in order. */
export function reasoningDeltas(chunks: ChatCompletionChunk[]): string[] {
  return chunks
    .map(
      (chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content,
    )
    .filter((text): text is string => typeof text === 'string' && text !== '');
}

export function contentOf(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
}

export function finishReasons(chunks: ChatCompletionChunk[]): string[] {
  return chunks.flatMap((chunk) => (chunk.choices[0]?.finish_reason ? [chunk.choices[0].finish_reason] : []));
}

/** The `x-switchyard-warnings` header: warnings joined with "; " (a ';' inside one arrives as ','). */
export function warningsOf(headers: Headers): string | null {
  return headers.get('x-switchyard-warnings');
}

/**
 * Drains a stream that must fail; returns what the SDK threw. The failure may come before the first chunk
 * (the gateway answers with an HTTP error when nothing reached the client yet) or during the stream.
 */
export async function streamFailure(
  stream: AsyncIterable<ChatCompletionChunk> | Promise<AsyncIterable<ChatCompletionChunk>>,
): Promise<unknown> {
  let seen = 0;
  try {
    for await (const _chunk of await stream) seen++;
  } catch (error) {
    return error;
  }
  assert.fail(`the stream ended cleanly after ${seen} chunks instead of failing`);
}

/** Parsed arguments of the first tool call of a message. */
export function firstToolCall(message: OpenAI.ChatCompletionMessage): {
  id: string;
  name: string;
  args: unknown;
} {
  const call = message.tool_calls?.[0];
  assert.ok(call && call.type === 'function', 'no function tool call in the message');
  return { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) };
}

export interface ProviderHarness {
  upstream: FakeServer;
  gateway: TestGateway;
  client: OpenAI;
}

/**
 * Around the enclosing describe block: a fake upstream, the real gateway configured by `envFor(upstream URL)`,
 * and an OpenAI client pointed at the gateway; the upstream's queue and log are reset before each test.
 */
export function useProviderHarness(envFor: (upstreamUrl: string) => NodeJS.ProcessEnv): ProviderHarness {
  const harness = {} as ProviderHarness;
  before(async () => {
    harness.upstream = await startFakeServer();
    harness.gateway = await startTestGateway({ env: envFor(harness.upstream.url) });
    harness.client = gatewayClient(harness.gateway.url);
  });
  after(async () => {
    await harness.gateway.close();
    await harness.upstream.close();
  });
  beforeEach(() => harness.upstream.reset());
  return harness;
}
