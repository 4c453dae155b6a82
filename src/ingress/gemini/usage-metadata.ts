import type { Usage } from '../../core/canonical.ts';
import { isObject } from './read-field.ts';
import type { GeminiUsageMetadata } from './wire-types.ts';

/** Canonical usage → Gemini usageMetadata: candidatesTokenCount excludes thoughts; prompt includes cached. */
export function toUsageMetadata(usage: Usage): GeminiUsageMetadata {
  const thoughts = usage.reasoningTokens ?? 0;
  const out: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cacheReadTokens) out.cachedContentTokenCount = usage.cacheReadTokens;
  if (thoughts > 0) out.thoughtsTokenCount = thoughts;
  return out;
}

/**
 * Gemini usageMetadata → canonical usage (output = candidates + thoughts; tool-use prompt tokens are input).
 * Returns undefined for metadata without counts (Vertex streams send `{trafficType}` alone mid-stream).
 */
export function fromUsageMetadata(value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined;
  const count = (name: string): number | undefined => {
    const n = value[name];
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  };
  const prompt = count('promptTokenCount');
  const total = count('totalTokenCount');
  if (prompt === undefined && total === undefined) return undefined;
  const thoughts = count('thoughtsTokenCount');
  const cached = count('cachedContentTokenCount');
  const usage: Usage = {
    inputTokens: (prompt ?? 0) + (count('toolUsePromptTokenCount') ?? 0),
    outputTokens: (count('candidatesTokenCount') ?? 0) + (thoughts ?? 0),
  };
  if (cached !== undefined) usage.cacheReadTokens = cached;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
