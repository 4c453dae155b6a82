import type { Usage } from '../../core/canonical.ts';
import type { BedrockUsage } from './wire-types.ts';

/** Bedrock `inputTokens` excludes cache reads and writes; canonical input includes both. */
export function mapUsage(usage: BedrockUsage | undefined): Usage {
  const input = usage?.inputTokens ?? 0;
  const cacheRead = usage?.cacheReadInputTokens;
  const cacheWrite = usage?.cacheWriteInputTokens;
  const out: Usage = {
    inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: usage?.outputTokens ?? 0,
  };
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  return out;
}
