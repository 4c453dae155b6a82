import type { FinishReason } from '../../core/canonical.ts';

/** Gemini finish reasons and the canonical reason each one means. */
const GEMINI_REASONS: Record<string, FinishReason[]> = {
  STOP: ['stop', 'tool-calls'],
  MAX_TOKENS: ['length'],
  SAFETY: ['content-filter'],
  RECITATION: ['content-filter'],
  LANGUAGE: ['content-filter'],
  BLOCKLIST: ['content-filter'],
  PROHIBITED_CONTENT: ['content-filter'],
  SPII: ['content-filter'],
  IMAGE_SAFETY: ['content-filter'],
  IMAGE_PROHIBITED_CONTENT: ['content-filter'],
  OTHER: ['other', 'error'],
  MALFORMED_FUNCTION_CALL: ['other', 'error'],
  UNEXPECTED_TOOL_CALL: ['other', 'error'],
  TOO_MANY_TOOL_CALLS: ['other', 'error'],
};

/**
 * Canonical finish reason → Gemini `finishReason`. A raw reason that already is a Gemini reason of the
 * same meaning (a Gemini upstream's RECITATION, MALFORMED_FUNCTION_CALL, ...) is kept as it was.
 */
export function toGeminiFinishReason(reason: FinishReason, raw?: string): string {
  if (raw !== undefined && GEMINI_REASONS[raw]?.includes(reason)) return raw;
  if (reason === 'stop' || reason === 'tool-calls') return 'STOP';
  if (reason === 'length') return 'MAX_TOKENS';
  if (reason === 'content-filter') return 'SAFETY';
  return 'OTHER';
}
