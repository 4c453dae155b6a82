// An assistant message's `reasoning_details` (OpenRouter's shape, see encode-reasoning-details.ts) →
// canonical reasoning parts whose tokens name the protocol that issued them, and the Gemini thought
// signatures that belong on the message's tool calls. Each provider sends back only the tokens its own
// protocol issued, so naming the issuer right is what keeps a token away from every other provider.
import type { ReasoningPart } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { type EnvelopedToken, unwrapToken } from '../signature-envelope.ts';
import { dataIsSignature, protocolOf } from './reasoning-format.ts';

type Json = Record<string, unknown>;

export interface DecodedReasoningDetails {
  reasoning: ReasoningPart[];
  /** tool call id → the thought signature Gemini put on that call */
  callSignatures: Map<string, string>;
}

/** Undefined when the message has no details (its `reasoning_content`, if any, is then the reasoning). */
export function decodeReasoningDetails(
  value: unknown,
  callIds: ReadonlySet<string>,
  where: string,
): DecodedReasoningDetails | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(`${where} must be an array`, where);
  if (value.length === 0) return undefined;
  const decoded: DecodedReasoningDetails = { reasoning: [], callSignatures: new Map() };
  value.forEach((detail: unknown, i) => {
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw invalid(`${where}[${i}] must be an object`, `${where}[${i}]`);
    }
    decodeDetail(detail as Json, callIds, decoded);
  });
  return decoded;
}

function decodeDetail(detail: Json, callIds: ReadonlySet<string>, into: DecodedReasoningDetails): void {
  const text = textOf(detail);
  if (text === undefined) return;
  const token = tokenOf(detail);
  if (token?.callId !== undefined) {
    // a call's signature means nothing without its call: kept only when the call came back too
    if (token.signature !== undefined && callIds.has(token.callId)) {
      into.callSignatures.set(token.callId, token.signature);
    }
    return;
  }
  if (!token) {
    if (text !== '') into.reasoning.push({ type: 'reasoning', text });
    return;
  }
  const part: ReasoningPart = { type: 'reasoning', text, signatureProtocol: token.protocol };
  if (token.signature !== undefined) part.signature = token.signature;
  if (token.redactedData !== undefined) part.redactedData = token.redactedData;
  into.reasoning.push(part);
}

/** The detail's reasoning text; undefined for a type we do not know, which is skipped as OpenRouter's SDK does. */
function textOf(detail: Json): string | undefined {
  switch (detail.type) {
    case 'reasoning.text':
      return stringOf(detail.text) ?? '';
    case 'reasoning.summary':
      return stringOf(detail.summary) ?? '';
    case 'reasoning.encrypted':
      return '';
    default:
      return undefined;
  }
}

/** The opaque token and its issuer: from the shared envelope when it is one, else from `format`. */
function tokenOf(detail: Json): EnvelopedToken | undefined {
  const encrypted = detail.type === 'reasoning.encrypted';
  const value = stringOf(encrypted ? detail.data : detail.signature);
  if (!value) return undefined;
  const enveloped = unwrapToken(value);
  if (enveloped) return enveloped;
  const protocol = protocolOf(detail.format);
  if (!encrypted) return { protocol, signature: value };
  if (!dataIsSignature(protocol)) return { protocol, redactedData: value };
  const token: EnvelopedToken = { protocol, signature: value };
  const id = stringOf(detail.id);
  if (protocol === 'gemini' && id) token.callId = id;
  return token;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}
