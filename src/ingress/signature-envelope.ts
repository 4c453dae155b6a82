// Opaque reasoning tokens (Anthropic thinking signatures and redacted data, Bedrock reasoning signatures,
// Gemini thought signatures, Responses encrypted reasoning) must go back to the protocol that issued
// them. When an ingress protocol has only one opaque field for them, a token another protocol issued is
// wrapped in this envelope naming its issuer; when the client sends it back, the ingress unwraps it and
// the token reaches the provider that can read it (and no provider that cannot).
// Every ingress uses the same envelope, so a token survives a client moving between protocols.

const ENVELOPE_PREFIX = 'swy1.';

export interface EnvelopedToken {
  /** the wire protocol that issued the token (canonical `signatureProtocol`) */
  protocol: string;
  signature?: string;
  redactedData?: string;
  /** the tool call a signature belongs to, when it rides apart from the call */
  callId?: string;
}

export function wrapToken(token: EnvelopedToken): string {
  const payload: Record<string, string> = { p: token.protocol };
  if (token.signature !== undefined) payload.s = token.signature;
  if (token.redactedData !== undefined) payload.r = token.redactedData;
  if (token.callId !== undefined) payload.c = token.callId;
  return ENVELOPE_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The envelope's contents, or undefined for a token that is not one (a native token). */
export function unwrapToken(value: string): EnvelopedToken | undefined {
  if (!value.startsWith(ENVELOPE_PREFIX)) return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(value.slice(ENVELOPE_PREFIX.length), 'base64url').toString('utf8'),
    );
    if (typeof payload?.p !== 'string') return undefined;
    const token: EnvelopedToken = { protocol: payload.p };
    if (typeof payload.s === 'string') token.signature = payload.s;
    if (typeof payload.r === 'string') token.redactedData = payload.r;
    if (typeof payload.c === 'string') token.callId = payload.c;
    return token;
  } catch {
    return undefined;
  }
}
