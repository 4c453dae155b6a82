/** One price step: `price` (USD per million tokens) applies when the request's total prompt tokens exceed `start`. */
export interface PriceTier {
  start: number;
  price: number;
}

/** A rate that depends on the request's total prompt tokens (e.g. long-context pricing above 200k). */
export interface TieredRate {
  base: number;
  tiers: readonly PriceTier[];
}

/** USD per million tokens, flat or tiered. */
export type Rate = number | TieredRate;

/**
 * The price of one model as used for billing. A rate that is absent is unknown, never free:
 * cost is null when tokens of that kind were used and no rate (nor documented fallback) applies.
 */
export interface ResolvedPrice {
  /** uncached prompt tokens */
  input?: Rate;
  /** completion tokens (reasoning included unless `reasoning` is set) */
  output?: Rate;
  /** cache-read prompt tokens; absent → billed at `input` (the catalog's rule: cache tokens are part of input) */
  cacheRead?: Rate;
  /** cache-write prompt tokens; absent → billed at `input` */
  cacheWrite?: Rate;
  /** reasoning tokens, only where the catalog prices them apart from output (rare); otherwise billed as output */
  reasoning?: Rate;
  /** USD per request on top of tokens (e.g. Perplexity's request fee) */
  perRequest?: number;
}

/** A model as the price catalog knows it. */
export interface CatalogModel {
  /** the catalog's model id (may differ from the id asked for, e.g. `claude-sonnet-4-0` for `claude-sonnet-4-20250514`) */
  id: string;
  name?: string;
  /** genai-prices provider id whose entry priced it */
  catalogProvider: string;
  contextWindow?: number;
  /** undefined when the catalog has no token price for it (e.g. audio-only models) */
  price?: ResolvedPrice;
  deprecated?: boolean;
}
