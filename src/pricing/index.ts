export { catalogProviderId, clearCatalogCache, listCatalogModels, lookupCatalogModel } from './catalog.ts';
export { computeCost, rateFor } from './cost.ts';
export { countTextTokens, estimateUsage } from './estimate-tokens.ts';
export { CATALOG_PROVIDER_IDS } from './provider-map.ts';
export { resolvePrice } from './resolve-price.ts';
export type { CatalogModel, PriceTier, Rate, ResolvedPrice, TieredRate } from './types.ts';
