import type { IncomingRequestInfo } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { decodePrompt } from './decode-prompt.ts';
import { rememberEcho } from './echo.ts';
import { invalid } from './invalid.ts';

type Json = Record<string, unknown>;

/**
 * The legacy API's `max_tokens` defaults to 16 when absent (OpenAI's documented default). Chat
 * providers would otherwise apply their own, much larger default, so the legacy one is made explicit.
 */
export const LEGACY_DEFAULT_MAX_TOKENS = 16;

/**
 * Fields decoded into canonical ones or honoured by this codec. Everything else — `suffix`,
 * `logprobs`, `best_of`, `logit_bias` and unknown fields — goes to `extra`, which chat providers
 * report as warnings instead of dropping silently.
 */
const HANDLED_FIELDS = new Set([
  'model',
  'prompt',
  'max_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'user',
  'stream',
  'stream_options',
  'echo',
]);

type NumberKeys = 'temperature' | 'topP' | 'n' | 'seed' | 'presencePenalty' | 'frequencyPenalty';
const NUMBER_FIELDS: Array<[string, NumberKeys]> = [
  ['temperature', 'temperature'],
  ['top_p', 'topP'],
  ['n', 'n'],
  ['seed', 'seed'],
  ['presence_penalty', 'presencePenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
];

/** Legacy Completions body → canonical request with one user message holding the prompt. */
export function decodeRequest(raw: unknown, _info?: IncomingRequestInfo): CanonicalRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid('Request body must be a JSON object', 'body');
  }
  const body = raw as Json;
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalid('you must provide a model parameter', 'model');
  }
  const prompt = decodePrompt(body.prompt);
  const request: CanonicalRequest = {
    model: body.model,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    maxOutputTokens: optionalNumber(body, 'max_tokens') ?? LEGACY_DEFAULT_MAX_TOKENS,
    stream: optionalBoolean(body, 'stream') === true,
    extra: {},
  };
  for (const [from, to] of NUMBER_FIELDS) {
    const value = optionalNumber(body, from);
    if (value !== undefined) request[to] = value;
  }
  const stop = decodeStop(body.stop);
  if (stop) request.stop = stop;
  if (body.user !== undefined && body.user !== null) {
    if (typeof body.user !== 'string') throw invalid("'user' must be a string", 'user');
    request.user = body.user;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!HANDLED_FIELDS.has(key) && value !== undefined && value !== null && !isNoOp(key, value)) {
      request.extra[key] = value;
    }
  }
  if (optionalBoolean(body, 'echo')) rememberEcho(request, prompt);
  return request;
}

function optionalNumber(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`'${key}' must be a number`, key);
  return value;
}

function optionalBoolean(body: Json, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`'${key}' must be a boolean`, key);
  return value;
}

function decodeStop(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) {
    return stop.length ? stop : undefined;
  }
  throw invalid("'stop' must be a string or an array of strings", 'stop');
}

/** Values equal to the legacy defaults ask for nothing, so they are not reported as unsupported. */
function isNoOp(key: string, value: unknown): boolean {
  if (key === 'best_of') return value === 1;
  if (key === 'logit_bias') return typeof value === 'object' && Object.keys(value as object).length === 0;
  return false;
}
