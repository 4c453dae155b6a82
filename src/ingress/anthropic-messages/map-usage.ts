// Usage between canonical (input includes cache) and Anthropic (input_tokens excludes cache reads and writes).
import type { Usage } from '../../core/canonical.ts';
import type { AnthropicMessagesUsage } from './wire-types.ts';

export function encodeUsage(usage: Usage | undefined): Required<AnthropicMessagesUsage> {
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.outputTokens ?? 0,
  };
}

/** Anthropic usage (possibly partial, as in message_delta) → canonical. */
export function decodeUsage(usage: Partial<AnthropicMessagesUsage>): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage.cache_creation_input_tokens ?? undefined;
  const out: Usage = {
    inputTokens: (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage.output_tokens ?? 0,
  };
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  return out;
}
