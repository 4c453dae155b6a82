// Cohere native v2 Chat provider. Embeddings and rerank exist on Cohere but are not built here.
import type {
  ProviderAdapter,
  ProviderConfigEntry,
  ProviderInstance,
  ProviderModule,
} from '../../core/adapters.ts';
import type { Operation } from '../../core/protocols.ts';
import { buildRequest } from './build-request.ts';
import { parseError } from './map-error.ts';
import { parseResponse } from './parse-response.ts';
import { parseStream } from './parse-stream.ts';

export const DEFAULT_COHERE_BASE_URL = 'https://api.cohere.com';

export const cohereAdapter: ProviderAdapter = {
  type: 'cohere',
  wireProtocol: 'cohere-v2',
  operations: new Set<Operation>(['chat']),
  buildRequest,
  parseResponse,
  parseStream,
  parseError,
};

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function fromEnv(env: NodeJS.ProcessEnv): ProviderInstance[] {
  const apiKey = env.COHERE_API_KEY;
  if (!apiKey) return [];
  return [
    {
      id: 'cohere',
      type: 'cohere',
      baseUrl: trimSlash(env.COHERE_BASE_URL || DEFAULT_COHERE_BASE_URL),
      apiKey,
      options: {},
      source: 'env',
    },
  ];
}

function fromConfig(
  id: string,
  entry: ProviderConfigEntry,
  env: NodeJS.ProcessEnv,
): ProviderInstance | undefined {
  if ((entry.type ?? id) !== 'cohere') return undefined;
  const instance: ProviderInstance = {
    id,
    type: 'cohere',
    baseUrl: trimSlash(entry.base_url || env.COHERE_BASE_URL || DEFAULT_COHERE_BASE_URL),
    options: entry.options ?? {},
    source: 'config',
  };
  const apiKey = entry.api_key ?? env.COHERE_API_KEY;
  if (apiKey) instance.apiKey = apiKey;
  if (entry.headers) instance.headers = entry.headers;
  return instance;
}

const cohere: ProviderModule = { adapter: cohereAdapter, fromEnv, fromConfig, types: ['cohere'] };
export default cohere;
