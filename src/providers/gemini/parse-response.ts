// Gemini GenerateContentResponse → canonical response (first candidate only).
import type { CanonicalRequest, CanonicalResponse, ReasoningPart } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { mapUsage } from './map-usage.ts';
import { newToolCallId } from './tool-call-id.ts';
import type { GeminiGenerateContentResponse, GeminiPart } from './wire-types.ts';

export interface ParseOptions {
  /** makes tool call ids; tests pass a deterministic one */
  newId?: () => string;
}

type Content = CanonicalResponse['content'];

export function parseResponse(
  body: unknown,
  request: CanonicalRequest,
  options: ParseOptions = {},
): CanonicalResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('upstream_error', 'Gemini returned a response that is not a JSON object');
  }
  const reply = body as GeminiGenerateContentResponse;
  const candidate = reply.candidates?.[0];
  const content = convertParts(candidate?.content?.parts ?? [], options.newId ?? newToolCallId);
  const blockReason = reply.promptFeedback?.blockReason;
  const rawFinishReason = candidate?.finishReason ?? blockReason;
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  const response: CanonicalResponse = {
    id: reply.responseId ?? '',
    model: reply.modelVersion ?? request.model,
    content,
    finishReason:
      !candidate && blockReason ? 'content-filter' : mapFinishReason(rawFinishReason, hasToolCalls),
    usage: mapUsage(reply.usageMetadata) ?? { inputTokens: 0, outputTokens: 0 },
  };
  if (rawFinishReason !== undefined) response.rawFinishReason = rawFinishReason;
  const created = createdSeconds(reply.createTime);
  if (created !== undefined) response.created = created;
  return response;
}

/**
 * Parts → canonical content: adjacent text parts join, thought parts become reasoning (with their
 * thoughtSignature), function calls become tool calls with a made-up id. The thoughtSignature Gemini
 * puts on a plain text part must go back on that part next turn; TextPart has no room for it, so it
 * rides on an empty reasoning part just before the text (as the Gemini ingress decodes it), and
 * convert-messages.ts folds it back onto the text. Text never joins a text part across such a signature.
 */
function convertParts(parts: GeminiPart[], newId: () => string): Content {
  const content: Content = [];
  for (const part of parts) {
    const last = content[content.length - 1];
    if (part.functionCall) {
      const call = part.functionCall;
      content.push({
        type: 'tool-call',
        id: call.id ?? newId(),
        name: call.name ?? '',
        arguments: JSON.stringify(call.args ?? {}),
        ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
      });
    } else if (part.thought && typeof part.text === 'string') {
      if (last?.type === 'reasoning' && !last.signature) last.text += part.text;
      else content.push({ type: 'reasoning', text: part.text });
      const reasoning = content[content.length - 1];
      if (part.thoughtSignature && reasoning.type === 'reasoning') {
        reasoning.signature = part.thoughtSignature;
        reasoning.signatureProtocol = 'gemini';
      }
    } else if (typeof part.text === 'string') {
      if (part.thoughtSignature) {
        content.push(signatureOnly(part.thoughtSignature));
        if (part.text !== '') content.push({ type: 'text', text: part.text });
      } else if (part.text !== '') {
        if (last?.type === 'text') last.text += part.text;
        else content.push({ type: 'text', text: part.text });
      }
    }
  }
  return content;
}

/** The empty reasoning part that carries the signature of a plain text part. */
function signatureOnly(signature: string): ReasoningPart {
  return { type: 'reasoning', text: '', signature, signatureProtocol: 'gemini' };
}

export function createdSeconds(createTime: string | undefined): number | undefined {
  if (!createTime) return undefined;
  const millis = Date.parse(createTime);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}
