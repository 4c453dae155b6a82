import type { Usage } from '../../core/canonical.ts';
import type { GeminiUsageMetadata } from './wire-types.ts';

/**
 * Gemini usageMetadata → canonical usage. promptTokenCount already includes cached tokens
 * (toolUsePromptTokenCount, the prompt of server-side tools, is input too); candidatesTokenCount
 * EXCLUDES thoughts, so output = candidates + thoughts. Undefined when the metadata holds no counts
 * (Vertex sends `{trafficType}` alone on early stream chunks).
 */
export function mapUsage(metadata: GeminiUsageMetadata | undefined): Usage | undefined {
  if (!metadata) return undefined;
  const { promptTokenCount, candidatesTokenCount, thoughtsTokenCount, cachedContentTokenCount } = metadata;
  if (
    promptTokenCount === undefined &&
    candidatesTokenCount === undefined &&
    metadata.totalTokenCount === undefined
  ) {
    return undefined;
  }
  const usage: Usage = {
    inputTokens: (promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0),
    outputTokens: (candidatesTokenCount ?? 0) + (thoughtsTokenCount ?? 0),
  };
  if (cachedContentTokenCount !== undefined) usage.cacheReadTokens = cachedContentTokenCount;
  if (thoughtsTokenCount !== undefined) usage.reasoningTokens = thoughtsTokenCount;
  return usage;
}
