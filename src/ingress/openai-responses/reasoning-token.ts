// Reasoning items carry one opaque token, `encrypted_content`. Tokens issued by OpenAI's Responses API
// go out as they are. Tokens issued by another protocol (Anthropic thinking signatures, redacted
// thinking data, Gemini thought signatures) are wrapped in the shared envelope naming their issuer
// (../signature-envelope.ts), so that when the client sends the item back the token returns to the
// protocol that can read it.
import { unwrapToken, wrapToken } from '../signature-envelope.ts';

const NATIVE = 'openai-responses';

export interface ReasoningToken {
  signature?: string;
  redactedData?: string;
  signatureProtocol: string;
}

export function encodeReasoningToken(token: {
  signature?: string;
  redactedData?: string;
  signatureProtocol?: string;
}): string | undefined {
  const protocol = token.signatureProtocol ?? NATIVE;
  if (protocol === NATIVE && token.redactedData === undefined) return token.signature;
  if (token.signature === undefined && token.redactedData === undefined) return undefined;
  return wrapToken({ protocol, signature: token.signature, redactedData: token.redactedData });
}

export function decodeReasoningToken(value: string): ReasoningToken {
  const token = unwrapToken(value);
  if (!token) return { signature: value, signatureProtocol: NATIVE };
  const out: ReasoningToken = { signatureProtocol: token.protocol };
  if (token.signature !== undefined) out.signature = token.signature;
  if (token.redactedData !== undefined) out.redactedData = token.redactedData;
  return out;
}
