import type { IncomingRequestInfo } from '../../core/adapters.ts';
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import { inputToMessages } from './decode-input.ts';
import { decodeReasoning, decodeTextConfig, decodeToolChoice, decodeTools } from './decode-settings.ts';
import { instructionsMessage } from './instructions.ts';
import { invalid, isObject, type Json, optionalBoolean, optionalNumber } from './json.ts';

/** Fields decoded into canonical ones; every other field is kept in `extra` under its wire name. */
const KNOWN_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'parallel_tool_calls',
  'stream',
  'user',
  'metadata',
]);

/** `POST /v1/responses` body → canonical request. Throws GatewayError('invalid_request') naming the param. */
export function decodeRequest(raw: unknown, _info?: IncomingRequestInfo): CanonicalRequest {
  const body = requireBody(raw);
  const continues = hasConversationState(body);
  if (!continues && (body.input === undefined || body.input === null)) {
    throw invalid("Missing required parameter: 'input'", 'input');
  }
  return decodeBody(body, continues);
}

/** `POST /v1/responses/input_tokens` body: the same fields, `input` optional. */
export function decodeInputTokensRequest(raw: unknown, _info?: IncomingRequestInfo): CanonicalRequest {
  const request = decodeBody(requireBody(raw), true);
  request.stream = false;
  return request;
}

function requireBody(raw: unknown): Json {
  if (!isObject(raw)) throw invalid('Request body must be a JSON object', 'body');
  if (typeof raw.model !== 'string' || raw.model === '') {
    throw invalid("Missing required parameter: 'model'", 'model');
  }
  return raw;
}

function hasConversationState(body: Json): boolean {
  return typeof body.previous_response_id === 'string' || body.conversation != null || body.prompt != null;
}

function decodeBody(body: Json, inputOptional: boolean): CanonicalRequest {
  const extra: Json = {};
  const request: CanonicalRequest = {
    model: body.model as string,
    messages: decodeMessages(body, inputOptional),
    stream: optionalBoolean(body, 'stream') ?? false,
    extra,
  };
  const tools = decodeTools(body.tools, extra);
  if (tools) request.tools = tools;
  const toolChoice = decodeToolChoice(body.tool_choice, extra);
  if (toolChoice) request.toolChoice = toolChoice;
  const responseFormat = decodeTextConfig(body.text, extra);
  if (responseFormat) request.responseFormat = responseFormat;
  const reasoning = decodeReasoning(body.reasoning, extra);
  if (reasoning) request.reasoning = reasoning;
  decodeScalars(body, request);
  for (const [key, value] of Object.entries(body)) {
    if (KNOWN_FIELDS.has(key) || value === undefined || value === null) continue;
    if (isGatewayField(key, value)) Object.defineProperty(extra, key, { value, enumerable: false });
    else extra[key] = value;
  }
  return request;
}

/**
 * Fields the gateway honours itself (it stores responses and replays `previous_response_id`; reasoning
 * tokens always come back as `encrypted_content`). They stay readable on `extra` for the Response
 * object's echo, but not enumerable: providers list `extra` as what they could not honour.
 */
function isGatewayField(key: string, value: unknown): boolean {
  if (key === 'store' || key === 'previous_response_id') return true;
  return (
    key === 'include' && Array.isArray(value) && value.every((item) => item === 'reasoning.encrypted_content')
  );
}

function decodeMessages(body: Json, inputOptional: boolean): Message[] {
  const messages: Message[] = [];
  const { instructions, input } = body;
  if (typeof instructions === 'string') {
    messages.push(instructionsMessage(instructions));
  } else if (instructions !== undefined && instructions !== null) {
    throw invalid("'instructions' must be a string", 'instructions');
  }
  if (input === undefined || input === null) return messages;
  if (Array.isArray(input) && input.length === 0 && !inputOptional) {
    throw invalid("'input' must not be empty", 'input');
  }
  messages.push(...inputToMessages(input));
  return messages;
}

function decodeScalars(body: Json, request: CanonicalRequest): void {
  const maxOutputTokens = optionalNumber(body, 'max_output_tokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalNumber(body, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const parallel = optionalBoolean(body, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  if (typeof body.user === 'string') request.user = body.user;
  if (body.metadata !== undefined && body.metadata !== null) {
    if (
      !isObject(body.metadata) ||
      !Object.values(body.metadata).every((value) => typeof value === 'string')
    ) {
      throw invalid("'metadata' must be an object of string values", 'metadata');
    }
    request.metadata = body.metadata as Record<string, string>;
  }
}
