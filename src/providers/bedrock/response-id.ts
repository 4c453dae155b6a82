import { randomUUID } from 'node:crypto';

/** Bedrock replies carry no message id; one is made up so clients get a stable id per response. */
export function newResponseId(): string {
  return `bedrock-${randomUUID()}`;
}
