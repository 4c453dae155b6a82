// Reasoning items carry one opaque token, `encrypted_content`. Tokens issued by OpenAI's Responses API
// go out as they are. Tokens issued by another protocol (Anthropic thinking signatures, redacted
// thinking data, Gemini thought signatures) are wrapped in a small envelope naming their issuer, so
// that when the client sends the item back the token returns to the protocol that can read it.

const ENVELOPE_PREFIX = 'swy1.';
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
  const payload: Record<string, string> = { p: protocol };
  if (token.signature !== undefined) payload.s = token.signature;
  if (token.redactedData !== undefined) payload.r = token.redactedData;
  return ENVELOPE_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeReasoningToken(value: string): ReasoningToken {
  if (!value.startsWith(ENVELOPE_PREFIX)) return { signature: value, signatureProtocol: NATIVE };
  try {
    const payload = JSON.parse(
      Buffer.from(value.slice(ENVELOPE_PREFIX.length), 'base64url').toString('utf8'),
    );
    if (typeof payload?.p !== 'string') return { signature: value, signatureProtocol: NATIVE };
    const token: ReasoningToken = { signatureProtocol: payload.p };
    if (typeof payload.s === 'string') token.signature = payload.s;
    if (typeof payload.r === 'string') token.redactedData = payload.r;
    return token;
  } catch {
    return { signature: value, signatureProtocol: NATIVE };
  }
}
