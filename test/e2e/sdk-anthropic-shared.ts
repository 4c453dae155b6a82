// Shared by the @anthropic-ai/sdk end-to-end files: one gateway in front of every fake provider (each
// test file gets its own), an Anthropic client, and the replies the tests reuse.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { FakeServer } from '../fakes/fake-server.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { type ProviderFleet, type ProviderName, startProviderFleet } from './matrix-providers.ts';

export const CLAUDE = 'claude-sonnet-4-6';
export const BEDROCK_CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

export interface AnthropicSdkSetup {
  client: Anthropic;
  fleet: ProviderFleet;
  server(name: ProviderName): FakeServer;
}

/**
 * Registers the file's hooks: fleet and gateway before (then `ready`), closed after, every fake reset
 * before each test.
 */
export function useGateway(ready: (setup: AnthropicSdkSetup) => void): void {
  let fleet: ProviderFleet;
  let gateway: TestGateway;
  const setup = {} as AnthropicSdkSetup;
  before(async () => {
    fleet = await startProviderFleet();
    gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
    setup.fleet = fleet;
    setup.client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    setup.server = (name) => fleet.cases.find((provider) => provider.name === name)!.server;
    ready(setup);
  });
  after(async () => {
    await gateway.close();
    await fleet.close();
  });
  beforeEach(() => {
    for (const provider of fleet.cases) provider.server.reset();
  });
}

/** The stream helper adds `parsed_output` (null without an output format) and `stop_details`; nothing on the wire. */
export function withoutSdkFields(message: Anthropic.Message): Record<string, unknown> {
  const { parsed_output, stop_details, ...rest } = message as Anthropic.Message & { parsed_output?: unknown };
  assert.equal(parsed_output, null);
  assert.equal(stop_details, undefined);
  return rest;
}

/** Thinking, text and a tool call, as Claude answers with extended thinking on. */
export const thinkingReply = {
  id: 'msg_01ThinkToolSdk000000000',
  model: 'claude-sonnet-4-6',
  thinking: { text: ['The user wants ', 'the weather in Paris.'], signature: 'EqQBCkYIBxgCKkDsig-anthropic' },
  text: ['Let me ', 'check.'],
  toolUse: {
    id: 'toolu_01SdkWeather00000000',
    name: 'get_weather',
    input: { city: 'Paris', unit: 'celsius' },
    chunks: ['', '{"city": "Pa', 'ris", "unit"', ': "celsius"}'],
  },
  usage: { input_tokens: 412, output_tokens: 97, cache_read_input_tokens: 128 },
};
