import type { Usage } from '../core/canonical.ts';
import type { Rate, ResolvedPrice } from './types.ts';

/**
 * USD cost of one call's canonical usage, or null when the price is unknown — never 0 for unknown.
 *
 * Usage is normalised (input includes cache read and write; output includes reasoning), so:
 * - uncached input = input − cache read − cache write, at the input rate;
 * - cache read / cache write tokens at their own rates. Where the price has no cache rate they are
 *   billed at the input rate: that is the catalog's own rule (genai-prices treats cache tokens as a
 *   part of input that only a cache price carves out), and the honest choice for providers that do
 *   not discount cached tokens;
 * - output at the output rate, reasoning included; only a price with a separate `reasoning` rate
 *   (the catalog has a few) bills reasoning tokens apart;
 * - tiered rates pick the step by the request's total prompt tokens (input incl. cache), step applied
 *   to all tokens of that kind, exactly as genai-prices does (`tokens > start`).
 * Tokens of a kind whose rate is unknown make the whole cost unknown (null).
 */
export function computeCost(usage: Usage, price: ResolvedPrice | undefined | null): number | null {
  if (!price) return null;
  const promptTokens = usage.inputTokens;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, promptTokens - cacheRead - cacheWrite);
  const reasoning =
    price.reasoning === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, usage.outputTokens);
  let usd: number | null = price.perRequest ?? 0;
  usd = add(usd, uncached, price.input, promptTokens);
  usd = add(usd, cacheRead, price.cacheRead ?? price.input, promptTokens);
  usd = add(usd, cacheWrite, price.cacheWrite ?? price.input, promptTokens);
  usd = add(usd, usage.outputTokens - reasoning, price.output, promptTokens);
  return add(usd, reasoning, price.reasoning, promptTokens);
}

/** `usd` plus `tokens` at `rate`; null (unknown) once any tokens have no rate. */
function add(
  usd: number | null,
  tokens: number,
  rate: Rate | undefined,
  promptTokens: number,
): number | null {
  if (usd === null || tokens <= 0) return usd;
  if (rate === undefined) return null;
  return usd + (tokens * rateFor(rate, promptTokens)) / 1_000_000;
}

/** USD per million tokens for a request with `promptTokens` total prompt tokens. */
export function rateFor(rate: Rate, promptTokens: number): number {
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (promptTokens > tier.start) price = tier.price;
  return price;
}
