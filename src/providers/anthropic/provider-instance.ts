// Anthropic provider instances from the environment and from config-file entries.
import type { ProviderConfigEntry, ProviderInstance } from '../../core/adapters.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Base URLs are kept without a trailing slash and without `/v1` (paths add `/v1/...`). */
export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function anthropicFromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey) return [];
  return [
    {
      id: 'anthropic',
      type: 'anthropic',
      baseUrl: normalizeBaseUrl(env.ANTHROPIC_BASE_URL || ANTHROPIC_DEFAULT_BASE_URL),
      apiKey,
      options: {},
      source: 'env',
    },
  ];
}

export function anthropicFromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  if ((entry.type ?? id) !== 'anthropic') return undefined;
  const instance: ProviderInstance = {
    id,
    type: 'anthropic',
    baseUrl: normalizeBaseUrl(entry.base_url ?? ANTHROPIC_DEFAULT_BASE_URL),
    options: entry.options ?? {},
    source: 'config',
  };
  const apiKey = entry.api_key ?? env.ANTHROPIC_API_KEY;
  if (apiKey) instance.apiKey = apiKey;
  if (entry.headers) instance.headers = entry.headers;
  return instance;
}
