// Who issued a reasoning token, said the way OpenRouter's `reasoning_details` say it (`format`), so that
// clients and SDKs built for OpenRouter read our replies and send them back unchanged.
// Sources: OpenRouter's "Reasoning Tokens" guide (preserving reasoning blocks) and its TypeScript SDK's
// ReasoningFormat enum (openrouter.ai/docs/guides/best-practices/reasoning-tokens;
// OpenRouterTeam/ai-sdk-provider src/schemas/format.ts, reasoning-details.ts).
//
// A protocol OpenRouter has a format name for keeps its tokens verbatim under that name. Any other issuer
// (Bedrock) is sent as format `unknown` with its token in the shared envelope naming it
// (../signature-envelope.ts), as the other ingresses do: OpenRouter's SDK rejects a format it does not know.

const FORMAT_OF_PROTOCOL: Readonly<Record<string, string>> = {
  'anthropic-messages': 'anthropic-claude-v1',
  gemini: 'google-gemini-v1',
  'openai-responses': 'openai-responses-v1',
};

const PROTOCOL_OF_FORMAT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FORMAT_OF_PROTOCOL).map(([protocol, format]) => [format, protocol]),
);

export const UNKNOWN_FORMAT = 'unknown';

/** Thought signatures on function calls are Gemini's (canonical ToolCallPart.signature). */
export const CALL_SIGNATURE_FORMAT = FORMAT_OF_PROTOCOL.gemini;

/** OpenRouter's SDK reads a detail without `format` as Anthropic's (its DEFAULT_REASONING_FORMAT). */
const DEFAULT_FORMAT = 'anthropic-claude-v1';

/**
 * Issuers whose tokens are all signatures: in a `reasoning.encrypted` detail their `data` is a signature.
 * For the others (Anthropic's redacted_thinking, Bedrock's redactedContent) `data` is redacted reasoning.
 */
const DATA_IS_SIGNATURE: ReadonlySet<string> = new Set(['gemini', 'openai-responses']);

/** The OpenRouter format name of a protocol, or undefined when OpenRouter has none for it. */
export function formatOf(protocol: string | undefined): string | undefined {
  return protocol === undefined ? undefined : FORMAT_OF_PROTOCOL[protocol];
}

/**
 * The protocol a detail's `format` names. A format we do not know stays as it is: no provider matches
 * it, so the token reaches none (each provider sends back only tokens its own protocol issued).
 */
export function protocolOf(format: unknown): string {
  if (typeof format !== 'string' || format === '') return PROTOCOL_OF_FORMAT[DEFAULT_FORMAT];
  return PROTOCOL_OF_FORMAT[format] ?? format;
}

export function dataIsSignature(protocol: string): boolean {
  return DATA_IS_SIGNATURE.has(protocol);
}
