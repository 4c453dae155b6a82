// Shared builders for this folder's tests.
import { readFileSync } from 'node:fs';
import { type BuildContext, type Target, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';

export function testTarget(overrides: Partial<Target['deployment']> = {}): Target {
  return {
    provider: {
      id: 'anthropic',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: 'sk-ant-test-key',
      options: {},
      source: 'env',
    },
    deployment: { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', ...overrides },
    modelId: 'claude-sonnet-4-5',
  };
}

export function testContext(target: Target = testTarget()): BuildContext {
  return { target, warnings: new Warnings() };
}

export function testRequest(messages: Message[], fields: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'claude-sonnet-4-5', messages, stream: false, extra: {}, ...fields };
}

export function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** Bytes split at awkward places, the way a network delivers them. */
export async function* chunked(text: string, size = 37): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
