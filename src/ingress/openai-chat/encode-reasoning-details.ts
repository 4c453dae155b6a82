// Canonical reasoning → the assistant message's `reasoning_details`, in OpenRouter's documented shape
// (types `reasoning.text` {text, signature} and `reasoning.encrypted` {data}; `id`, `format`, `index`).
// Chat Completions has no field of its own for opaque reasoning tokens; clients built for OpenRouter
// already keep this array and send it back on the assistant message, which is where decode reads it.
// A Gemini function call's thought signature is a `reasoning.encrypted` detail whose `id` is the call's
// id, as OpenRouter binds Gemini signatures to tool calls. Not followed: LiteLLM's way, the signature
// appended to the tool call id (`<id>__thought__<signature>`, BerriAI/litellm#16895), which changes the
// ids clients echo in tool messages, and Google's OpenAI-compatible `extra_content.google.thought_signature`
// on the tool call, which only carries Gemini's tokens, not Anthropic's or Bedrock's.
import type { CanonicalResponse, ReasoningPart } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { wrapToken } from '../signature-envelope.ts';
import { CALL_SIGNATURE_FORMAT, dataIsSignature, formatOf, UNKNOWN_FORMAT } from './reasoning-format.ts';

export interface ReasoningDetail {
  type: 'reasoning.text' | 'reasoning.encrypted';
  text?: string;
  signature?: string;
  data?: string;
  id?: string;
  format: string;
  index: number;
}

/** One detail per reasoning part and per signed tool call, in content order; empty when there are none. */
export function encodeReasoningDetails(content: CanonicalResponse['content']): ReasoningDetail[] {
  const details: ReasoningDetail[] = [];
  for (const part of content) {
    if (part.type === 'reasoning') details.push(reasoningDetail(part, details.length));
    else if (part.type === 'tool-call' && part.signature) {
      details.push(callSignatureDetail(part.id, part.signature, details.length));
    }
  }
  return details;
}

function reasoningDetail(part: ReasoningPart, index: number): ReasoningDetail {
  const signature = part.signature || undefined;
  const redactedData = part.redactedData;
  const protocol = part.signatureProtocol;
  const format = formatOf(protocol);
  if (signature === undefined && redactedData === undefined) {
    return { type: 'reasoning.text', text: part.text, format: format ?? UNKNOWN_FORMAT, index };
  }
  if (format === undefined) {
    const token =
      protocol === undefined
        ? ((signature ?? redactedData) as string)
        : wrapToken({ protocol, signature, redactedData });
    return redactedData !== undefined
      ? { type: 'reasoning.encrypted', data: token, format: UNKNOWN_FORMAT, index }
      : { type: 'reasoning.text', text: part.text, signature: token, format: UNKNOWN_FORMAT, index };
  }
  if (redactedData !== undefined) return { type: 'reasoning.encrypted', data: redactedData, format, index };
  // a signature with no thought text of its own (Gemini's on a text part) is opaque data, as OpenRouter sends it
  if (part.text === '' && dataIsSignature(protocol as string)) {
    return { type: 'reasoning.encrypted', data: signature, format, index };
  }
  return { type: 'reasoning.text', text: part.text, signature, format, index };
}

function callSignatureDetail(callId: string, signature: string, index: number): ReasoningDetail {
  return { type: 'reasoning.encrypted', data: signature, id: callId, format: CALL_SIGNATURE_FORMAT, index };
}

/**
 * Gathers a stream's reasoning blocks and call signatures. The details go to the client whole, in one
 * delta before the finish: clients (the openai SDK's stream helper among them) keep the last
 * `reasoning_details` a delta carried, so one delta holding them all is what every client ends up with.
 * The reasoning text itself still streams as it comes, in `reasoning_content`.
 */
export class ReasoningDetailsCollector {
  private readonly parts = new Map<number, CanonicalResponse['content'][number]>();

  onEvent(event: StreamEvent): void {
    switch (event.type) {
      case 'reasoning-delta':
        this.reasoning(event.index).text += event.delta;
        break;
      case 'reasoning-signature': {
        const part = this.reasoning(event.index);
        if (event.signature) part.signature = event.signature;
        if (event.redactedData !== undefined) part.redactedData = event.redactedData;
        if (event.signatureProtocol !== undefined) part.signatureProtocol = event.signatureProtocol;
        break;
      }
      case 'tool-call-start':
        if (event.signature) {
          this.parts.set(event.index, {
            type: 'tool-call',
            id: event.id,
            name: event.name,
            arguments: '',
            signature: event.signature,
          });
        }
        break;
      default:
        break;
    }
  }

  details(): ReasoningDetail[] {
    const inOrder = [...this.parts.entries()].sort(([a], [b]) => a - b);
    return encodeReasoningDetails(inOrder.map(([, part]) => part));
  }

  private reasoning(index: number): ReasoningPart {
    const existing = this.parts.get(index);
    if (existing?.type === 'reasoning') return existing;
    const part: ReasoningPart = { type: 'reasoning', text: '' };
    this.parts.set(index, part);
    return part;
  }
}
