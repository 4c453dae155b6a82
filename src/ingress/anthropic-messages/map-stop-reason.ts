// Canonical finish reason → Anthropic stop_reason.
import type { FinishReason } from '../../core/canonical.ts';
import type { AnthropicMessagesStopReason } from './wire-types.ts';

const ANTHROPIC_STOP_REASONS = new Set<string>([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

/** What each canonical reason may be refined to when the provider's raw reason says so. */
const REFINEMENTS: Record<FinishReason, ReadonlySet<string>> = {
  stop: new Set(['end_turn', 'stop_sequence', 'pause_turn']),
  length: new Set(['max_tokens', 'model_context_window_exceeded']),
  'tool-calls': new Set(['tool_use']),
  'content-filter': new Set(['refusal']),
  error: new Set(),
  other: new Set(ANTHROPIC_STOP_REASONS),
};

const DEFAULTS: Record<FinishReason, AnthropicMessagesStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  // Anthropic has no error stop reason; a stream that failed ends with an error event instead.
  error: 'end_turn',
  other: 'end_turn',
};

/**
 * The raw reason wins when it is an Anthropic (or Bedrock, same names) reason consistent with the
 * canonical one, e.g. `stop_sequence` or `pause_turn`; otherwise the canonical reason is mapped.
 */
export function mapStopReason(reason: FinishReason, raw?: string): AnthropicMessagesStopReason {
  if (raw !== undefined && REFINEMENTS[reason].has(raw)) return raw as AnthropicMessagesStopReason;
  return DEFAULTS[reason];
}
