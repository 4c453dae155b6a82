// Local token estimates for replies whose provider reported no usage. Billing prefers provider usage;
// this only fills the gap. gpt-tokenizer (o200k_base) is loaded on first use, never at startup.
import type { CanonicalRequest, Message, Part, Usage } from '../core/canonical.ts';

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

/** OpenAI's chat accounting: a few tokens of framing per message, and the reply's priming. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_FOR_REPLY_PRIMING = 3;
/** A rough flat figure per image (OpenAI high detail, 1024×1024); file parts are not counted. */
export const IMAGE_TOKEN_ESTIMATE = 765;

let loading: Promise<Tokenizer> | undefined;

function tokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base');
  return loading;
}

/** Special-token text in user content (`<|endoftext|>`) is counted as ordinary text, never rejected. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

export async function countTextTokens(text: string): Promise<number> {
  if (text === '') return 0;
  const { countTokens } = await tokenizer();
  return countTokens(text, AS_TEXT);
}

/** What the model produced, as far as the gateway saw it: plain text or response content parts. */
export type EstimatedOutput = string | ReadonlyArray<Part>;

/** Estimated usage for a request and its output; `estimated: true` marks it as not provider-reported. */
export async function estimateUsage(request: CanonicalRequest, output: EstimatedOutput): Promise<Usage> {
  const { countTokens } = await tokenizer();
  const count = (text: string) => (text === '' ? 0 : countTokens(text, AS_TEXT));
  let inputTokens = TOKENS_FOR_REPLY_PRIMING;
  for (const message of request.messages) inputTokens += countMessage(message, count);
  if (request.tools?.length) inputTokens += count(JSON.stringify(request.tools));
  if (request.responseFormat?.type === 'json-schema')
    inputTokens += count(JSON.stringify(request.responseFormat.schema));
  const parts: ReadonlyArray<Part> = typeof output === 'string' ? [{ type: 'text', text: output }] : output;
  let outputTokens = 0;
  let reasoningTokens = 0;
  for (const part of parts) {
    const tokens = countPart(part, count);
    outputTokens += tokens;
    if (part.type === 'reasoning') reasoningTokens += tokens;
  }
  const usage: Usage = { inputTokens, outputTokens, estimated: true };
  if (reasoningTokens > 0) usage.reasoningTokens = reasoningTokens;
  return usage;
}

function countMessage(message: Message, count: (text: string) => number): number {
  let tokens = TOKENS_PER_MESSAGE + count(message.role);
  if (message.name) tokens += count(message.name);
  for (const part of message.content) tokens += countPart(part, count);
  return tokens;
}

function countPart(part: Part, count: (text: string) => number): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return count(part.text);
    case 'image':
      return IMAGE_TOKEN_ESTIMATE;
    case 'file':
      return part.filename ? count(part.filename) : 0;
    case 'tool-call':
      return count(part.name) + count(part.arguments);
    case 'tool-result':
      return part.content.reduce((sum, inner) => sum + countPart(inner, count), 0);
  }
}
