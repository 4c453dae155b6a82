// Anthropic Messages request body → CanonicalRequest (also used for count_tokens, where max_tokens is optional).
import type { CanonicalRequest, ReasoningSettings } from '../../core/canonical.ts';
import type { DecodeState } from './decode-content.ts';
import { decodeMessages, decodeSystem } from './decode-messages.ts';
import { decodeToolChoice, decodeTools } from './decode-tools.ts';
import {
  invalid,
  isObject,
  type JsonObject,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalStringArray,
  requireNonEmptyString,
  requireObject,
} from './validate.ts';

/** Top-level fields with a canonical home; every other field is kept in `extra` as sent. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
]);

export interface DecodeOptions {
  /** false for count_tokens, which takes no max_tokens */
  requireMaxTokens: boolean;
}

export function decodeAnthropicRequest(body: unknown, options: DecodeOptions): CanonicalRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const state: DecodeState = { toolNames: new Map(), unmapped: [], callSignatures: new Map() };
  const model = requireNonEmptyString(body.model, 'model');
  const maxTokens = decodeMaxTokens(body.max_tokens, options.requireMaxTokens);
  const messages = [...decodeSystem(body.system), ...decodeMessages(body.messages, state)];
  const request: CanonicalRequest = {
    model,
    messages,
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    extra: collectExtra(body),
  };
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  decodeSampling(body, request);
  decodeToolFields(body, request);
  const reasoning = decodeThinking(body.thinking);
  if (reasoning) request.reasoning = reasoning;
  decodeMetadata(body.metadata, request);
  if (state.unmapped.length > 0) request.extra.unmapped_content = state.unmapped;
  return request;
}

function decodeMaxTokens(value: unknown, required: boolean): number | undefined {
  if (required && (value === undefined || value === null)) throw invalid('max_tokens', 'field required');
  return optionalInteger(value, 'max_tokens', 1);
}

function decodeSampling(body: JsonObject, request: CanonicalRequest): void {
  const temperature = optionalNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const topK = optionalInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  const stop = optionalStringArray(body.stop_sequences, 'stop_sequences');
  if (stop !== undefined) request.stop = stop;
}

function decodeToolFields(body: JsonObject, request: CanonicalRequest): void {
  const { tools, serverTools } = decodeTools(body.tools);
  if (tools.length > 0) request.tools = tools;
  if (serverTools.length > 0) request.extra.server_tools = serverTools;
  const choice = decodeToolChoice(body.tool_choice);
  if (choice) {
    request.toolChoice = choice.toolChoice;
    if (choice.parallelToolCalls === false) request.parallelToolCalls = false;
  }
}

/** enabled → budget + thoughts; adaptive → thoughts, model picks the budget; disabled → the default (none). */
function decodeThinking(value: unknown): ReasoningSettings | undefined {
  if (value === undefined || value === null) return undefined;
  const thinking = requireObject(value, 'thinking');
  switch (thinking.type) {
    case 'enabled': {
      if (thinking.budget_tokens === undefined || thinking.budget_tokens === null) {
        throw invalid('thinking.budget_tokens', 'field required');
      }
      const budgetTokens = optionalInteger(thinking.budget_tokens, 'thinking.budget_tokens', 0)!;
      return { budgetTokens, includeThoughts: true };
    }
    case 'adaptive':
      return { includeThoughts: true };
    case 'disabled':
      return undefined;
    default:
      throw invalid('thinking.type', "must be one of 'enabled', 'disabled', 'adaptive'");
  }
}

function decodeMetadata(value: unknown, request: CanonicalRequest): void {
  if (value === undefined || value === null) return;
  const { user_id: userId, ...rest } = requireObject(value, 'metadata');
  if (userId !== undefined && userId !== null) {
    if (typeof userId !== 'string') throw invalid('metadata.user_id', 'must be a string');
    request.user = userId;
  }
  if (Object.keys(rest).length > 0) request.extra.metadata = rest;
}

function collectExtra(body: JsonObject): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(key)) extra[key] = value;
  }
  return extra;
}
