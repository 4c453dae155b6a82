// Model prices and context windows from @pydantic/genai-prices, looked up by our provider ids.
import {
  calcPrice,
  findProvider,
  type ModelInfo,
  type ModelPrice,
  type Provider,
} from '@pydantic/genai-prices';
import { convertCatalogPrice } from './convert-price.ts';
import { CATALOG_PROVIDER_IDS } from './provider-map.ts';
import type { CatalogModel } from './types.ts';

interface Match {
  model: ModelInfo;
  provider: Provider;
  /** set when the model's prices do not depend on the date or time of day */
  fixed?: CatalogModel;
}

/** Bounded: model strings may come from clients, and an unbounded map would be a memory leak. */
const MAX_CACHED = 4096;
const matches = new Map<string, Match | null>();
const ZERO_USAGE = { input_tokens: 0, output_tokens: 0 };

/**
 * Which genai-prices provider prices our provider id: a mapped id, the same id where genai-prices
 * knows it exactly (e.g. `moonshotai`), `null` for providers that have no catalog prices on purpose,
 * or undefined for a provider unknown to the catalog (then the model id alone is looked up).
 */
export function catalogProviderId(providerId: string): string | null | undefined {
  const key = providerId.toLowerCase();
  if (Object.hasOwn(CATALOG_PROVIDER_IDS, key)) return CATALOG_PROVIDER_IDS[key];
  return findProvider({ providerId: key })?.id === key ? key : undefined;
}

/**
 * The catalog entry for a provider's model id: price (tiers and cache prices kept) and context window.
 * Undefined when the catalog does not know it. Prices that change with the date or time of day
 * (e.g. DeepSeek off-peak) are taken as of `at`.
 */
export function lookupCatalogModel(
  providerId: string,
  modelId: string,
  at: Date = new Date(),
): CatalogModel | undefined {
  const catalogProvider = catalogProviderId(providerId);
  if (catalogProvider === null || modelId.trim() === '') return undefined;
  const match = findMatch(catalogProvider, modelId);
  if (!match) return undefined;
  return match.fixed ?? toCatalogModel(match.model, match.provider, at);
}

export interface ListOptions {
  includeDeprecated?: boolean;
  at?: Date;
}

/** Models the catalog lists under our provider id, for `GET /v1/models`; empty when it has none. */
export function listCatalogModels(providerId: string, options: ListOptions = {}): CatalogModel[] {
  const catalogProvider = catalogProviderId(providerId);
  if (!catalogProvider) return [];
  const provider = findProvider({ providerId: catalogProvider });
  if (!provider) return [];
  const at = options.at ?? new Date();
  return provider.models
    .filter((model) => options.includeDeprecated || !model.deprecated)
    .map((model) => toCatalogModel(model, provider, at));
}

/** Forgets cached matches (after the catalog data was updated). */
export function clearCatalogCache(): void {
  matches.clear();
}

function findMatch(catalogProvider: string | undefined, modelId: string): Match | undefined {
  const key = `${catalogProvider ?? ''}\n${modelId}`;
  const cached = matches.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const match = matchModel(catalogProvider, modelId);
  if (matches.size >= MAX_CACHED) matches.clear();
  matches.set(key, match ?? null);
  return match;
}

function matchModel(catalogProvider: string | undefined, modelId: string): Match | undefined {
  let result: ReturnType<typeof calcPrice>;
  try {
    // calcPrice does the catalog's own matching: model patterns, dated ids, fallback providers.
    result = calcPrice(ZERO_USAGE, modelId, { providerId: catalogProvider });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  const match: Match = { model: result.model, provider: result.provider };
  if (!Array.isArray(result.model.prices)) {
    match.fixed = toCatalogModel(result.model, result.provider, new Date());
  }
  return match;
}

function toCatalogModel(model: ModelInfo, provider: Provider, at: Date): CatalogModel {
  const entry: CatalogModel = { id: model.id, catalogProvider: provider.id };
  if (model.name) entry.name = model.name;
  if (model.context_window) entry.contextWindow = model.context_window;
  const prices = pricesAt(model, provider, at);
  const price = prices ? convertCatalogPrice(prices) : undefined;
  if (price) entry.price = price;
  if (model.deprecated) entry.deprecated = true;
  return entry;
}

/** The model's prices in force at `at`, chosen by genai-prices itself (start dates, time-of-day windows). */
function pricesAt(model: ModelInfo, provider: Provider, at: Date): ModelPrice | undefined {
  if (!Array.isArray(model.prices)) return model.prices;
  const only: Provider = {
    id: provider.id,
    name: provider.name,
    api_pattern: provider.api_pattern,
    models: [{ ...model, match: { equals: model.id } }],
  };
  try {
    return calcPrice(ZERO_USAGE, model.id, { provider: only, timestamp: at })?.model_price;
  } catch {
    return undefined;
  }
}
