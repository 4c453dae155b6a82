// Anthropic thinking blocks carry one opaque token: `signature` (or `data` on redacted_thinking).
// Tokens Anthropic issued go out as they are; tokens another protocol issued (Bedrock reasoning
// signatures, Gemini thought signatures) go out in the shared envelope (../signature-envelope.ts), so
// that when the client sends the block back the token returns to the protocol that can read it.
//
// A Gemini function-call signature has no place on a tool_use block: it rides in an empty thinking
// block just before the call, whose envelope names the call (`c`), and is put back on the call when the
// conversation comes back.
import { unwrapToken, wrapToken } from '../signature-envelope.ts';

export { type EnvelopedToken, unwrapToken, wrapToken } from '../signature-envelope.ts';

export const ANTHROPIC_SIGNATURE_PROTOCOL = 'anthropic-messages';
/** the protocol whose signatures ride on tool calls (canonical ToolCallPart.signature) */
const CALL_SIGNATURE_PROTOCOL = 'gemini';

export function isForeign(protocol: string | undefined): protocol is string {
  return protocol !== undefined && protocol !== ANTHROPIC_SIGNATURE_PROTOCOL;
}

/** The signature of a tool call, wrapped for the empty thinking block that carries it. */
export function wrapCallSignature(callId: string, signature: string): string {
  return wrapToken({ protocol: CALL_SIGNATURE_PROTOCOL, signature, callId });
}

function isForeignThinking(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const { type, signature, data } = block as Record<string, unknown>;
  if (type === 'thinking') return typeof signature === 'string' && unwrapToken(signature) !== undefined;
  return type === 'redacted_thinking' && typeof data === 'string' && unwrapToken(data) !== undefined;
}

/**
 * For a body going to Anthropic as it is (passthrough): thinking blocks whose token another protocol
 * issued mean nothing to Anthropic, which would reject the request over them, so they are left out —
 * as the translated path leaves them out. The client's objects are not modified; `messages` is replaced.
 */
export function withoutForeignThinking(body: Record<string, unknown>): void {
  if (!Array.isArray(body.messages)) return;
  let changed = false;
  const messages = body.messages.map((message: unknown) => {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content) || !content.some(isForeignThinking)) return message;
    changed = true;
    return { ...(message as object), content: content.filter((block) => !isForeignThinking(block)) };
  });
  if (changed) body.messages = messages;
}
