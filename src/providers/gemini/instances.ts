import type { ProviderConfigEntry, ProviderInstance } from '../../core/adapters.ts';

export const ADAPTER_TYPE = 'gemini';
export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

const KEY_VARIABLES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY'] as const;

function keyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of KEY_VARIABLES) {
    if (env[name]) return env[name];
  }
  return undefined;
}

/** The base URL carries no version path (`/v1beta` is added per request). */
function baseUrl(raw: string | undefined): string {
  return (raw || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

export function instancesFromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const apiKey = keyFromEnv(env);
  if (!apiKey) return [];
  return [
    {
      id: 'gemini',
      type: ADAPTER_TYPE,
      baseUrl: baseUrl(env.GEMINI_BASE_URL),
      apiKey,
      options: {},
      source: 'env',
    },
  ];
}

export function instanceFromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  if ((entry.type ?? id) !== ADAPTER_TYPE) return undefined;
  const instance: ProviderInstance = {
    id,
    type: ADAPTER_TYPE,
    baseUrl: baseUrl(entry.base_url ?? env.GEMINI_BASE_URL),
    apiKey: entry.api_key ?? keyFromEnv(env),
    options: { ...entry.options },
    source: 'config',
  };
  if (entry.headers) instance.headers = entry.headers;
  return instance;
}
