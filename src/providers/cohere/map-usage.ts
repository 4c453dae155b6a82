import type { Usage } from '../../core/canonical.ts';
import type { CohereV2Usage } from './wire-types.ts';

/**
 * Cohere usage → canonical. `tokens` are the tokens actually processed (prompt template included)
 * and are preferred over `billed_units`; `cached_tokens` are part of the input tokens.
 * Undefined when the reply carried no counts at all.
 */
export function mapUsage(usage: CohereV2Usage | undefined): Usage | undefined {
  if (!usage) return undefined;
  const counts = hasCounts(usage.tokens)
    ? usage.tokens
    : hasCounts(usage.billed_units)
      ? usage.billed_units
      : undefined;
  if (!counts) return undefined;
  const out: Usage = { inputTokens: counts.input_tokens ?? 0, outputTokens: counts.output_tokens ?? 0 };
  if (typeof usage.cached_tokens === 'number' && usage.cached_tokens > 0)
    out.cacheReadTokens = usage.cached_tokens;
  return out;
}

function hasCounts(counts: CohereV2Usage['tokens']): counts is NonNullable<CohereV2Usage['tokens']> {
  return typeof counts?.input_tokens === 'number' || typeof counts?.output_tokens === 'number';
}
