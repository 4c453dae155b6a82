import type {
  CanonicalRequest,
  FinishReason,
  ResponseFormat,
  ToolChoice,
  Usage,
} from '../../core/canonical.ts';
import type { GatewayError } from '../../core/errors.ts';
import { instructionsOf } from './instructions.ts';
import { isObject, type Json } from './json.ts';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseFields {
  id: string;
  createdAt: number;
  model: string;
  status: ResponseStatus;
  output: Json[];
  usage?: Usage;
  /** OpenRouter-style `usage.cost` in USD (null: a price is unknown); absent when not reported */
  costUsd?: number | null;
  error?: { code: string; message: string };
  incompleteReason?: string;
}

/** Status and incomplete reason for a finish reason; the Responses API has no finish_reason field. */
export function statusFor(finishReason: FinishReason): { status: ResponseStatus; incompleteReason?: string } {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content-filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  if (finishReason === 'error') return { status: 'failed' };
  return { status: 'completed' };
}

/** The Response object, echoing the request's settings the way the Responses API does. */
export function responseObject(fields: ResponseFields, request?: CanonicalRequest): Json {
  const extra: Json = request?.extra ?? {};
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    background: extra.background ?? false,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteReason ? { reason: fields.incompleteReason } : null,
    instructions: instructionsOf(request),
    max_output_tokens: request?.maxOutputTokens ?? null,
    max_tool_calls: extra.max_tool_calls ?? null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: request?.parallelToolCalls ?? true,
    previous_response_id: extra.previous_response_id ?? null,
    prompt_cache_key: extra.prompt_cache_key ?? null,
    reasoning: reasoningEcho(request),
    safety_identifier: extra.safety_identifier ?? null,
    service_tier: extra.service_tier ?? 'default',
    store: extra.store ?? true,
    temperature: request?.temperature ?? null,
    text: textEcho(request?.responseFormat, extra.text),
    tool_choice: extra.tool_choice ?? toolChoiceEcho(request?.toolChoice),
    tools: toolsEcho(request, extra.tools),
    top_logprobs: extra.top_logprobs ?? 0,
    top_p: request?.topP ?? null,
    truncation: extra.truncation ?? 'disabled',
    usage: fields.usage ? encodeUsage(fields.usage, fields.costUsd) : null,
    user: request?.user ?? null,
    metadata: request?.metadata ?? {},
  };
}

export function encodeUsage(usage: Usage, costUsd?: number | null): Json {
  const encoded: Json = {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (costUsd !== undefined) encoded.cost = costUsd;
  return encoded;
}

/** `error` of a failed response: an upstream's own code when it had one, else the nearest Responses code. */
export function responseError(error: GatewayError): { code: string; message: string } {
  const code = error.upstreamCode ?? (error.code === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error');
  return { code, message: error.message };
}

function reasoningEcho(request?: CanonicalRequest): Json {
  const kept = isObject(request?.extra.reasoning) ? request.extra.reasoning : {};
  const summary = kept.summary ?? (request?.reasoning?.includeThoughts ? 'auto' : null);
  return { effort: kept.effort ?? request?.reasoning?.effort ?? null, summary };
}

function textEcho(format: ResponseFormat | undefined, kept: unknown): Json {
  return { format: formatEcho(format), ...(isObject(kept) ? kept : {}) };
}

function formatEcho(format: ResponseFormat | undefined): Json {
  if (!format || format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  const echo: Json = {
    type: 'json_schema',
    name: format.name,
    schema: format.schema,
    strict: format.strict ?? null,
  };
  if (format.description !== undefined) echo.description = format.description;
  return echo;
}

function toolChoiceEcho(choice: ToolChoice | undefined): unknown {
  if (!choice) return 'auto';
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

function toolsEcho(request: CanonicalRequest | undefined, builtIn: unknown): Json[] {
  const tools: Json[] = (request?.tools ?? []).map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description ?? null,
    parameters: tool.parameters ?? null,
    strict: tool.strict ?? null,
  }));
  return Array.isArray(builtIn) ? [...tools, ...builtIn] : tools;
}
