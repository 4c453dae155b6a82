import type { FinishReason } from '../../core/canonical.ts';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/**
 * Gemini finishReason → canonical. Gemini reports a turn that called functions as STOP, so the
 * caller says whether the content held function calls.
 */
export function mapFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw !== undefined && CONTENT_FILTER.has(raw)) return 'content-filter';
  return 'other';
}
