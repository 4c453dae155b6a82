// `instructions` become the request's leading system message, and the Response object echoes them back.
// The message object is marked so the echo finds it again after history is prepended or the request
// copied for routing (copies share message objects), without a canonical field only this protocol needs.
import type { CanonicalRequest, Message } from '../../core/canonical.ts';

const fromInstructions = new WeakSet<Message>();

export function instructionsMessage(text: string): Message {
  const message: Message = { role: 'system', content: [{ type: 'text', text }] };
  fromInstructions.add(message);
  return message;
}

/** The request's `instructions` as the client sent them, or null. */
export function instructionsOf(request: CanonicalRequest | undefined): string | null {
  const message = request?.messages.find((candidate) => fromInstructions.has(candidate));
  const part = message?.content[0];
  return part?.type === 'text' ? part.text : null;
}
