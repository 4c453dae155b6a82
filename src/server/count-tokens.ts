import type { CanonicalRequest } from '../core/canonical.ts';
import { estimateUsage } from '../pricing/index.ts';

/** A local tokenizer estimate of a request's input tokens, for providers with no count endpoint. */
export async function estimateInputTokens(request: CanonicalRequest): Promise<number> {
  const usage = await estimateUsage(request, '');
  return usage.inputTokens;
}

export const ESTIMATE_HEADER = 'x-switchyard-token-count';
