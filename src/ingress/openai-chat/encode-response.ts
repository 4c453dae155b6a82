import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { encodeReasoningDetails } from './encode-reasoning-details.ts';
import { encodeUsage } from './encode-usage.ts';
import { toOpenAIFinishReason } from './map-finish-reason.ts';

export function completionId(id: string, context: EncodeContext): string {
  return id.startsWith('chatcmpl') ? id : `chatcmpl-${id || context.requestId}`;
}

export function encodeResponse(response: CanonicalResponse, context: EncodeContext): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning) message.reasoning_content = reasoning;
  const details = encodeReasoningDetails(response.content);
  if (details.length) message.reasoning_details = details;
  if (toolCalls.length) message.tool_calls = toolCalls;
  return {
    id: completionId(response.id, context),
    object: 'chat.completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || context.requestedModel,
    choices: [
      { index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(response.finishReason) },
    ],
    usage: encodeUsage(response.usage),
  };
}
