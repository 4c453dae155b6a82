// Cohere v2 chat reply → canonical response.
import type { CanonicalRequest, CanonicalResponse } from '../../core/canonical.ts';
import { emptyUsage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import type { CohereV2ChatResponse } from './wire-types.ts';

/**
 * Content order: thinking, text, then the tool plan (as text) and the tool calls it introduces.
 * Cohere does not echo the model, so the response carries the model the request named.
 */
export function parseResponse(body: unknown, request: CanonicalRequest): CanonicalResponse {
  if (typeof body !== 'object' || body === null) {
    throw new GatewayError('upstream_error', 'Cohere returned a reply that is not a JSON object', {
      provider: 'cohere',
    });
  }
  const reply = body as CohereV2ChatResponse;
  const message = reply.message ?? {};
  const content: CanonicalResponse['content'] = [];
  for (const part of message.content ?? []) {
    if (part.type === 'thinking' && typeof part.thinking === 'string') {
      content.push({ type: 'reasoning', text: part.thinking });
    } else if (part.type === 'text' && typeof part.text === 'string') {
      content.push({ type: 'text', text: part.text });
    }
  }
  if (message.tool_plan) content.push({ type: 'text', text: message.tool_plan });
  for (const call of message.tool_calls ?? []) {
    const args = call.function?.arguments;
    content.push({
      type: 'tool-call',
      id: call.id ?? '',
      name: call.function?.name ?? '',
      arguments: typeof args === 'string' && args.trim() !== '' ? args : '{}',
    });
  }
  const response: CanonicalResponse = {
    id: reply.id ?? '',
    model: request.model,
    content,
    finishReason: mapFinishReason(reply.finish_reason),
    usage: mapUsage(reply.usage) ?? emptyUsage(),
  };
  if (reply.finish_reason !== undefined) response.rawFinishReason = reply.finish_reason;
  return response;
}
