import type { ReasoningPart, ToolCallPart } from '../../core/canonical.ts';
import { type EnvelopedToken, unwrapToken, wrapToken } from '../signature-envelope.ts';
import type { Json } from './json.ts';
import { encodeReasoningToken } from './reasoning-token.ts';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** `resp_…` id: the provider's id when it has one, else one derived from the gateway request id. */
export function responseId(id: string | undefined, requestId: string): string {
  if (id?.startsWith('resp_')) return id;
  return `resp_${safeId(id || requestId)}`;
}

/** Item ids derive from the response id and the output index, so encoding is deterministic. */
export function itemId(prefix: 'msg' | 'fc' | 'rs', response: string, outputIndex: number): string {
  return `${prefix}_${response.slice('resp_'.length)}_${outputIndex}`;
}

function safeId(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function outputText(text: string): Json {
  return { type: 'output_text', text, annotations: [] };
}

export function messageItem(id: string, text: string | undefined, status: ItemStatus): Json {
  return {
    id,
    type: 'message',
    role: 'assistant',
    status,
    content: text === undefined ? [] : [outputText(text)],
  };
}

export function functionCallItem(id: string, call: Omit<ToolCallPart, 'type'>, status: ItemStatus): Json {
  return { id, type: 'function_call', status, arguments: call.arguments, call_id: call.id, name: call.name };
}

export function summaryText(text: string): Json {
  return { type: 'summary_text', text };
}

/**
 * A function call's own signature (Gemini's) has no place on a function_call item: it rides in a
 * reasoning item of its own just before the call, whose token names the call, and goes back onto the
 * call when the client (or a stored response) sends the items back. The item's id is the token too:
 * clients that keep `store` on (the Vercel AI SDK) send reasoning back as `{type: 'item_reference', id}`.
 */
export function callSignatureItem(callId: string, signature: string): Json {
  const token = wrapToken({ protocol: 'gemini', signature, callId });
  return {
    id: `${CALL_SIGNATURE_ID_PREFIX}${token}`,
    type: 'reasoning',
    summary: [],
    encrypted_content: token,
  };
}

const CALL_SIGNATURE_ID_PREFIX = 'rs_';

/** The call signature an `item_reference` to a call-signature item names, if it is one. */
export function callSignatureOfReference(id: unknown): EnvelopedToken | undefined {
  if (typeof id !== 'string' || !id.startsWith(CALL_SIGNATURE_ID_PREFIX)) return undefined;
  const token = unwrapToken(id.slice(CALL_SIGNATURE_ID_PREFIX.length));
  return token?.callId !== undefined && token.signature !== undefined ? token : undefined;
}

export function reasoningItem(id: string, part: Omit<ReasoningPart, 'type'>, withSummary = true): Json {
  const item: Json = {
    id,
    type: 'reasoning',
    summary: withSummary && part.text !== '' ? [summaryText(part.text)] : [],
  };
  const token = encodeReasoningToken(part);
  if (token !== undefined) item.encrypted_content = token;
  return item;
}
