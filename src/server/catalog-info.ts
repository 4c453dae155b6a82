import type { Price, ProviderInstance } from '../core/adapters.ts';
import { listCatalogModels, lookupCatalogModel, type Rate, type ResolvedPrice } from '../pricing/index.ts';
import type { ModelRegistry } from '../routing/model-registry.ts';
import { type ModelCard, pricingCard } from './model-listing.ts';

/** The catalog's name for a provider instance: an OpenAI-compatible vendor's preset, else its adapter type. */
export function catalogKey(instance: ProviderInstance): string {
  const preset = instance.options.preset;
  return typeof preset === 'string' && preset !== 'custom' ? preset : instance.type;
}

function baseRate(rate: Rate | undefined): number | undefined {
  return rate === undefined ? undefined : typeof rate === 'number' ? rate : rate.base;
}

/** Flat display prices (the base tier) for listings; billing uses the full tiered price. */
export function displayPrice(price: ResolvedPrice | undefined): Price {
  if (!price) return {};
  const out: Price = {};
  const input = baseRate(price.input);
  const output = baseRate(price.output);
  const cacheRead = baseRate(price.cacheRead);
  const cacheWrite = baseRate(price.cacheWrite);
  if (input !== undefined) out.input = input;
  if (output !== undefined) out.output = output;
  if (cacheRead !== undefined) out.cacheRead = cacheRead;
  if (cacheWrite !== undefined) out.cacheWrite = cacheWrite;
  return out;
}

/** A deployment's display price and context window: a price set by a model entry over the catalog's. */
export function createModelInfoLookup(registry: ModelRegistry) {
  return (providerId: string, model: string) => {
    const instance = registry.providers.get(providerId);
    if (!instance) return undefined;
    const found = lookupCatalogModel(catalogKey(instance), model);
    const configured = registry.configuredPrice(providerId, model);
    if (!found && !configured) return undefined;
    const price = configured ? { ...displayPrice(found?.price), ...definedPrice(configured) } : undefined;
    return { price: price ?? displayPrice(found?.price), contextWindow: found?.contextWindow };
  };
}

function definedPrice(price: Price): Price {
  return Object.fromEntries(Object.entries(price).filter(([, value]) => value !== undefined)) as Price;
}

/** Catalog models of every active provider, pinned as `provider/model`, computed once. */
export function createCatalogListing(registry: ModelRegistry): () => ModelCard[] {
  let cards: ModelCard[] | undefined;
  return () => {
    cards ??= [...registry.providers.values()].flatMap((instance) =>
      listCatalogModels(catalogKey(instance)).map((model): ModelCard => {
        const pricing = pricingCard(displayPrice(model.price));
        const context = model.contextWindow ?? null;
        return {
          id: `${instance.id}/${model.id}`,
          object: 'model',
          created: 0,
          owned_by: instance.id,
          provider: instance.id,
          context_window: context,
          pricing,
          deployments: [{ provider: instance.id, model: model.id, context_window: context, pricing }],
        };
      }),
    );
    return cards;
  };
}
