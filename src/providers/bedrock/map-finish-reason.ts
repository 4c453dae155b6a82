import type { FinishReason } from '../../core/canonical.ts';

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
};

/** Bedrock `stopReason` → canonical finish reason. */
export function mapFinishReason(stopReason: string | undefined): FinishReason {
  return stopReason !== undefined && Object.hasOwn(FINISH_REASONS, stopReason)
    ? FINISH_REASONS[stopReason]
    : 'other';
}

/**
 * With a forced JSON tool the answer arrives as a tool call; when it was the only tool called the
 * response is a normal stop, since the tool call became text.
 */
export function finishWithJsonTool(stopReason: string | undefined, otherToolCalls: boolean): FinishReason {
  const reason = mapFinishReason(stopReason);
  return reason === 'tool-calls' && !otherToolCalls ? 'stop' : reason;
}
