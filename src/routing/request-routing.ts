// Routing controls a client puts in the request body, OpenRouter-style (SDKs reach them through their
// "extra body" fields): `models: [...]`, a fallback list tried after `model`, and
// `provider: {order, only, ignore, sort, allow_fallbacks}`. They are taken out of the body before it
// goes anywhere, so no upstream ever sees them.
import { GatewayError } from '../core/errors.ts';
import type { ProviderPreferences, Strategy } from './routing-settings.ts';

export interface RequestRouting {
  models?: string[];
  provider?: ProviderPreferences;
  /** fields given but not supported, for `x-switchyard-warnings` */
  warnings: string[];
}

const MAX_MODELS = 16;
const SORTS: Record<string, Strategy> = {
  price: 'cost',
  cost: 'cost',
  latency: 'latency',
  throughput: 'throughput',
  balanced: 'balanced',
};
/** OpenRouter's provider names (lower-cased, spaces as dashes) → our provider ids */
const PROVIDER_ALIASES: Record<string, string> = {
  'amazon-bedrock': 'bedrock',
  'aws-bedrock': 'bedrock',
  'google-vertex': 'vertex',
  'google-ai-studio': 'gemini',
  google: 'gemini',
  'azure-openai': 'azure',
  'together-ai': 'together',
  togetherai: 'together',
  'fireworks-ai': 'fireworks',
  'x-ai': 'xai',
  'mistral-ai': 'mistral',
};
const PROVIDER_FIELDS = new Set(['order', 'only', 'ignore', 'sort', 'allow_fallbacks']);

/** Removes `models` and `provider` from the body and validates them; undefined when neither is there. */
export function takeRequestRouting(body: Record<string, unknown>): RequestRouting | undefined {
  if (!('models' in body) && !('provider' in body)) return undefined;
  const routing: RequestRouting = { warnings: [] };
  const { models, provider } = body;
  delete body.models;
  delete body.provider;
  if (models !== undefined && models !== null) routing.models = readModels(models);
  if (provider !== undefined && provider !== null)
    routing.provider = readProvider(provider, routing.warnings);
  return routing;
}

function readModels(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((model) => typeof model !== 'string' || model.trim() === '')) {
    throw invalid('models: must be an array of model ids', 'models');
  }
  if (value.length > MAX_MODELS) throw invalid(`models: at most ${MAX_MODELS} models`, 'models');
  return value.map((model: string) => model.trim());
}

function readProvider(value: unknown, warnings: string[]): ProviderPreferences {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('provider: must be an object', 'provider');
  }
  const raw = value as Record<string, unknown>;
  const preferences: ProviderPreferences = {};
  for (const key of Object.keys(raw)) {
    if (!PROVIDER_FIELDS.has(key)) warnings.push(`provider.${key}: not supported by this gateway, ignored`);
  }
  const order = readProviderList(raw.order, 'order');
  const only = readProviderList(raw.only, 'only');
  const ignore = readProviderList(raw.ignore, 'ignore');
  if (order) preferences.order = order;
  if (only) preferences.only = only;
  if (ignore) preferences.ignore = ignore;
  if (raw.sort !== undefined && raw.sort !== null) {
    const sort = typeof raw.sort === 'string' ? SORTS[raw.sort.toLowerCase()] : undefined;
    if (!sort) throw invalid('provider.sort: must be one of price, latency, throughput', 'provider.sort');
    preferences.sort = sort;
  }
  if (raw.allow_fallbacks !== undefined && raw.allow_fallbacks !== null) {
    if (typeof raw.allow_fallbacks !== 'boolean')
      throw invalid('provider.allow_fallbacks: must be a boolean', 'provider.allow_fallbacks');
    preferences.allowFallbacks = raw.allow_fallbacks;
  }
  return preferences;
}

function readProviderList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(`provider.${field}: must be an array of provider names`, `provider.${field}`);
  }
  return value.map(normalizeProviderName);
}

/** `Amazon Bedrock` → `bedrock`, `Together` → `together`; our own ids pass through. */
export function normalizeProviderName(name: string): string {
  const key = name.trim().toLowerCase().replace(/\s+/g, '-');
  return PROVIDER_ALIASES[key] ?? key;
}

function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}
