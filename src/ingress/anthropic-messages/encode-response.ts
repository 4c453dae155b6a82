// CanonicalResponse → Anthropic Message object.
//
// `model` is the model the provider says answered (response.model), falling back to the model the
// client asked for when the provider reported none: after routing (aliases, fallbacks, `smart/...`)
// the answering model is the useful fact, and the SDK only echoes the field.
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse, ReasoningPart, ToolCallPart } from '../../core/canonical.ts';
import { isForeign, wrapCallSignature, wrapToken } from './foreign-signature.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { encodeUsage } from './map-usage.ts';
import type { AnthropicMessagesResponse, AnthropicMessagesResponseBlock } from './wire-types.ts';

export function encodeResponse(
  response: CanonicalResponse,
  context: EncodeContext,
): AnthropicMessagesResponse {
  return {
    id: messageId(response.id, context.requestId),
    type: 'message',
    role: 'assistant',
    model: response.model || context.requestedModel,
    content: response.content.flatMap(encodeBlocks),
    stop_reason: mapStopReason(response.finishReason, response.rawFinishReason),
    // The matched stop string is not carried by the canonical response.
    stop_sequence: null,
    usage: encodeUsage(response.usage),
  };
}

export function messageId(id: string | undefined, requestId: string): string {
  const base = id || requestId;
  return base.startsWith('msg_') ? base : `msg_${base}`;
}

function encodeBlocks(part: CanonicalResponse['content'][number]): AnthropicMessagesResponseBlock[] {
  switch (part.type) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'reasoning':
      return [encodeReasoning(part)];
    case 'tool-call':
      // A call's own signature (Gemini) rides in an empty thinking block just before it.
      return part.signature
        ? [
            { type: 'thinking', thinking: '', signature: wrapCallSignature(part.id, part.signature) },
            encodeToolCall(part),
          ]
        : [encodeToolCall(part)];
  }
}

/** Tokens another protocol issued go out wrapped, so they can find their way back (foreign-signature.ts). */
function encodeReasoning(part: ReasoningPart): AnthropicMessagesResponseBlock {
  const protocol = part.signatureProtocol;
  if (part.redactedData !== undefined) {
    const data = isForeign(protocol)
      ? wrapToken({ protocol, redactedData: part.redactedData })
      : part.redactedData;
    return { type: 'redacted_thinking', data };
  }
  const signature =
    isForeign(protocol) && part.signature
      ? wrapToken({ protocol, signature: part.signature })
      : part.signature;
  return { type: 'thinking', thinking: part.text, signature: signature ?? '' };
}

function encodeToolCall(part: ToolCallPart): AnthropicMessagesResponseBlock {
  return { type: 'tool_use', id: part.id, name: part.name, input: parseToolInput(part.arguments) };
}

/**
 * Anthropic tool input is an object. Empty arguments (a no-argument call) are `{}`; arguments that are
 * not a JSON object (a model that produced broken JSON) cannot be expressed and also become `{}`
 * rather than failing the whole reply.
 */
export function parseToolInput(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // falls through to {}
  }
  return {};
}
