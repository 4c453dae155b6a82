// Shared by this folder's tests: fixture loading, byte streams split at awkward places, a fixed request.
import { readFileSync } from 'node:fs';
import { type BuildContext, type ProviderInstance, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';

export function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** The text as a byte stream cut every `size` bytes (frames and CRLFs split across chunks). */
export async function* bytes(text: string, size = 37): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let offset = 0; offset < all.length; offset += size) yield all.slice(offset, offset + size);
}

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

export function counter(prefix = 'call_'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function request(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'gemini-2.5-flash', messages: [], stream: false, extra: {}, ...overrides };
}

export function geminiInstance(overrides: Partial<ProviderInstance> = {}): ProviderInstance {
  return {
    id: 'gemini',
    type: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com',
    apiKey: 'test-key-123',
    options: {},
    source: 'env',
    ...overrides,
  };
}

export function buildContext(overrides: Partial<BuildContext> = {}): BuildContext {
  return {
    target: {
      provider: geminiInstance(),
      deployment: { provider: 'gemini', model: 'gemini-2.5-flash' },
      modelId: 'gemini-2.5-flash',
    },
    warnings: new Warnings(),
    ...overrides,
  };
}
