import type { FinishReason } from '../../core/canonical.ts';

const FINISH_REASONS: Record<string, FinishReason> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool-calls',
  ERROR: 'error',
  TIMEOUT: 'error',
};

/** Cohere `finish_reason` → canonical; anything new is 'other' (the raw value is kept beside it). */
export function mapFinishReason(reason: string | undefined): FinishReason {
  return (reason !== undefined && FINISH_REASONS[reason]) || 'other';
}
