import type { EncodeContext } from '../../core/adapters.ts';
import type { FinishReason, Usage } from '../../core/canonical.ts';

/** `cmpl-…` ids: a chat provider's `chatcmpl-x` becomes `cmpl-x`; an empty id falls back to the request id. */
export function completionId(id: string, context: EncodeContext): string {
  if (id.startsWith('cmpl-')) return id;
  if (id.startsWith('chatcmpl-')) return `cmpl-${id.slice('chatcmpl-'.length)}`;
  return `cmpl-${id || context.requestId}`;
}

/** The legacy API knows only these three; tool calls cannot occur (no tools are sent). */
export function toCompletionsFinishReason(reason: FinishReason): 'stop' | 'length' | 'content_filter' {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  return 'stop';
}

export function encodeUsage(usage: Usage): Record<string, number> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
