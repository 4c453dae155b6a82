import type { FinishReason } from '../../core/canonical.ts';

/** Anthropic `stop_reason` → canonical finish reason. The raw value is kept beside it by callers. */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      // pause_turn (server-tool loop paused), unknown or missing reasons
      return 'other';
  }
}

/**
 * A forced JSON-output tool is an implementation detail: when it was the only tool the model
 * called (`jsonToolOnly`), the reply is plain text that finished normally.
 */
export function finishReasonWithJsonTool(
  stopReason: string | null | undefined,
  jsonToolOnly: boolean,
): FinishReason {
  if (stopReason === 'tool_use' && jsonToolOnly) return 'stop';
  return mapAnthropicFinishReason(stopReason);
}
