import type { ModelPrice } from '@pydantic/genai-prices';
import type { Rate, ResolvedPrice } from './types.ts';

/** genai-prices price keys we bill, → our field names. Other keys (audio, images, searches) have no usage here. */
const RATE_KEYS = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite',
  output_reasoning_mtok: 'reasoning',
} as const;
type RateField = (typeof RATE_KEYS)[keyof typeof RATE_KEYS];

/** Converts one genai-prices price record; returns undefined when it prices no tokens we count. */
export function convertCatalogPrice(prices: ModelPrice): ResolvedPrice | undefined {
  const out: ResolvedPrice = {};
  for (const [key, field] of Object.entries(RATE_KEYS) as Array<[keyof typeof RATE_KEYS, RateField]>) {
    const rate = toRate(prices[key]);
    if (rate !== undefined) out[field] = rate;
  }
  const requestsPerThousand = prices['requests_kcount'];
  if (isPrice(requestsPerThousand)) out.perRequest = requestsPerThousand / 1000;
  if (out.input === undefined && out.output === undefined) return undefined;
  return out;
}

function toRate(value: unknown): Rate | undefined {
  if (isPrice(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { base, tiers } = value as { base?: unknown; tiers?: unknown };
  if (!isPrice(base) || !Array.isArray(tiers)) return undefined;
  const steps = tiers
    .filter((tier): tier is { start: number; price: number } => isPrice(tier?.start) && isPrice(tier?.price))
    .map((tier) => ({ start: tier.start, price: tier.price }))
    .sort((a, b) => a.start - b.start);
  return { base, tiers: steps };
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
