import { randomBytes } from 'node:crypto';

/** Gemini function calls carry no id (the Gemini API); the gateway makes one up. */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}
