import type { Usage } from '../../core/canonical.ts';
import type { AnthropicUsage } from './wire-types.ts';

/**
 * Anthropic `input_tokens` excludes cache reads and writes; canonical input includes both.
 * Cache counts are set whenever Anthropic reports them (0 included).
 */
export function mapAnthropicUsage(usage: AnthropicUsage | undefined): Usage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens;
  const cacheWrite = usage?.cache_creation_input_tokens;
  const out: Usage = {
    inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
  };
  if (typeof cacheRead === 'number') out.cacheReadTokens = cacheRead;
  if (typeof cacheWrite === 'number') out.cacheWriteTokens = cacheWrite;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') out.reasoningTokens = thinking;
  return out;
}

/** Stream usage is cumulative: later values (message_delta) replace earlier ones field by field. */
export function mergeAnthropicUsage(
  base: AnthropicUsage,
  update: AnthropicUsage | undefined,
): AnthropicUsage {
  if (!update) return base;
  const merged: AnthropicUsage = { ...base };
  for (const key of Object.keys(update) as Array<keyof AnthropicUsage>) {
    const value = update[key];
    if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
