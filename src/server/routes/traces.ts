// Traces API: trace groups (create, complete, get with calls and totals), one trace by request id, and a
// filtered, paginated listing. Shapes are snake_case JSON; errors in OpenAI's error shape.
import { z } from 'zod';
import type { Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import { groupTotals } from '../../store/group-queries.ts';
import type {
  Store,
  TraceFilter,
  TraceGroup,
  TraceGroupDetail,
  TraceGroupTotals,
} from '../../store/store.ts';
import type { TraceAttempt, TraceRecord, TraceSummary } from '../../traces/trace-record.ts';
import { parseJsonBody, readBody } from '../read-body.ts';
import { sendJson } from '../respond.ts';
import type { Route, RouteContext } from '../routes.ts';

// ---- JSON shapes (shared with the CLI's --json output) ----

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function usageJson(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens ?? null,
    cache_write_tokens: usage.cacheWriteTokens ?? null,
    reasoning_tokens: usage.reasoningTokens ?? null,
    estimated: usage.estimated === true,
  };
}

function attemptJson(attempt: TraceAttempt) {
  return {
    provider: attempt.provider,
    model: attempt.model,
    status: attempt.status,
    http_status: attempt.httpStatus ?? null,
    error_code: attempt.errorCode ?? null,
    error_message: attempt.errorMessage ?? null,
    latency_ms: attempt.latencyMs,
    ttft_ms: attempt.ttftMs ?? null,
    started_at: iso(attempt.startedAt),
    ...(attempt.note !== undefined && { note: attempt.note }),
  };
}

/** One trace; a full record (from a lookup by id) also carries its stored bodies. */
export function traceJson(trace: TraceSummary | TraceRecord): Record<string, unknown> {
  return {
    object: 'trace',
    id: trace.id,
    created_at: iso(trace.createdAt),
    trace_group_id: trace.traceGroupId,
    key_id: trace.keyId,
    project_id: trace.projectId,
    client_protocol: trace.clientProtocol,
    endpoint: trace.endpoint,
    requested_model: trace.requestedModel,
    resolved_model: trace.resolvedModel,
    provider: trace.provider,
    status: trace.status,
    http_status: trace.httpStatus,
    error: trace.errorCode === null ? null : { code: trace.errorCode, message: trace.errorMessage },
    stream: trace.stream,
    finish_reason: trace.finishReason,
    usage: usageJson(trace.usage),
    cost_usd: trace.costUsd,
    latency_ms: trace.latencyMs,
    ttft_ms: trace.ttftMs,
    warnings: trace.warnings,
    attempts: trace.attempts.map(attemptJson),
    route: trace.route,
    record_expires_at: iso(trace.recordExpiresAt),
    payload_expires_at: iso(trace.payloadExpiresAt),
    ...('requestBody' in trace && { request_body: trace.requestBody, response_body: trace.responseBody }),
  };
}

function totalsJson(totals: TraceGroupTotals) {
  return {
    calls: totals.calls,
    errors: totals.errors,
    input_tokens: totals.inputTokens,
    output_tokens: totals.outputTokens,
    cost_usd: totals.costUsd,
    unknown_cost_calls: totals.unknownCostCalls,
    latency_ms: totals.latencyMs,
    span_ms: totals.spanMs,
  };
}

/** A trace group; with its calls (oldest first) and totals when given the detail. */
export function groupJson(group: TraceGroup | TraceGroupDetail): Record<string, unknown> {
  return {
    object: 'trace_group',
    id: group.id,
    name: group.name,
    status: group.status,
    metadata: group.metadata,
    created_at: iso(group.createdAt),
    completed_at: iso(group.completedAt),
    ...('calls' in group && { calls: group.calls.map(traceJson), totals: totalsJson(group.totals) }),
  };
}

// ---- lookups (shared with `switchyard traces show`) ----

export type TraceLookup =
  | { kind: 'group'; group: TraceGroupDetail }
  | { kind: 'trace'; trace: TraceRecord }
  | undefined;

/** Calls that carry a group id nobody created: oldest first; empty when there are none. */
async function callsOfGroup(store: Store, id: string): Promise<TraceSummary[]> {
  const calls: TraceSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTraces({ traceGroupId: id }, { limit: 1000, cursor });
    calls.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return calls.reverse();
}

/**
 * A group by id (created through the API, or only named by calls' x-switchyard-trace-id header),
 * else the trace of that request id.
 */
export async function lookupTrace(store: Store, id: string): Promise<TraceLookup> {
  const group = await store.getTraceGroup(id);
  if (group) return { kind: 'group', group };
  const trace = await store.getTrace(id);
  if (trace) return { kind: 'trace', trace };
  const calls = await callsOfGroup(store, id);
  if (calls.length === 0) return undefined;
  return {
    kind: 'group',
    group: {
      id,
      name: id,
      status: 'open',
      metadata: {},
      createdAt: calls[0].createdAt,
      completedAt: null,
      calls,
      totals: groupTotals(calls),
    },
  };
}

// ---- query values ----

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

const DATE_TIME_WITHOUT_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch milliseconds, or an ISO 8601 date / date-time (UTC unless it names an offset). */
export function parseTime(value: string, param: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text);
    if (Number.isSafeInteger(ms)) return ms;
  } else if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(DATE_TIME_WITHOUT_ZONE.test(text) ? `${text}Z` : text);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalid(param, `Invalid '${param}': expected an ISO 8601 date or epoch milliseconds, got '${value}'`);
}

/** Reads query parameters, refusing unknown and empty ones. */
export function queryValues(query: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of query) {
    if (!allowed.includes(name))
      throw invalid(name, `Unknown query parameter '${name}'; expected one of: ${allowed.join(', ')}`);
    if (value.trim() === '') throw invalid(name, `Query parameter '${name}' must not be empty`);
    if (values.has(name)) throw invalid(name, `Query parameter '${name}' is given more than once`);
    values.set(name, value);
  }
  return values;
}

/** from/to as epoch ms; from must not be after to. */
export function timeRange(values: Map<string, string>): { from?: number; to?: number } {
  const from = values.has('from') ? parseTime(values.get('from') as string, 'from') : undefined;
  const to = values.has('to') ? parseTime(values.get('to') as string, 'to') : undefined;
  if (from !== undefined && to !== undefined && from > to) throw invalid('from', "'from' is after 'to'");
  return { from, to };
}

const LIST_PARAMS = ['from', 'to', 'model', 'provider', 'key', 'project', 'status', 'limit', 'cursor'];

export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= 1000)) throw invalid('limit', 'limit must be an integer from 1 to 1000');
  return limit;
}

export function parseStatus(value: string | undefined): TraceFilter['status'] {
  if (value === undefined) return undefined;
  if (value !== 'ok' && value !== 'error') throw invalid('status', "status must be 'ok' or 'error'");
  return value;
}

function listFilter(values: Map<string, string>): TraceFilter {
  return {
    ...timeRange(values),
    model: values.get('model'),
    provider: values.get('provider'),
    keyId: values.get('key'),
    projectId: values.get('project'),
    status: parseStatus(values.get('status')),
  };
}

// ---- routes ----

const createBody = z
  .object({
    id: z
      .string()
      .regex(/^[\w.:-]{1,128}$/, 'id must be 1-128 letters, digits, or _ . : -')
      .optional(),
    name: z.string().min(1).max(512),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const completeBody = z
  .object({
    status: z.string().min(1).max(64).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue.path.map(String).join('.') || null;
  const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
  throw new GatewayError('invalid_request', `${param ? `${param}: ` : ''}${issue.message}${keys}`, {
    param: issue.code === 'unrecognized_keys' ? issue.keys[0] : param,
  });
}

function requireStore(context: RouteContext): Store {
  const store = context.runtime.store;
  if (!store) throw new GatewayError('internal', 'The store is not open');
  return store;
}

/** Reads only after the traces this instance has finished so far are written. */
async function readableStore(context: RouteContext): Promise<Store> {
  const store = requireStore(context);
  await context.runtime.traceWriter?.flush();
  return store;
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No trace or trace group with id '${id}'`, { param: 'id' });
}

function reply(context: RouteContext, body: unknown): void {
  sendJson(context.response, 200, body, { 'x-request-id': context.requestId });
}

export const createTraceGroupRoute: Route = {
  method: 'POST',
  pattern: '/v1/traces',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const input = parseBody(createBody, await context.json());
    reply(context, groupJson(await requireStore(context).createTraceGroup(input)));
  },
};

export const completeTraceGroupRoute: Route = {
  method: 'POST',
  pattern: '/v1/traces/:id/complete',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const raw = await readBody(context.request, context.runtime.settings.bodyLimitBytes);
    const input = parseBody(completeBody, raw.length === 0 ? {} : parseJsonBody(raw));
    const store = await readableStore(context);
    const id = context.params.id;
    let group = await store.completeTraceGroup(id, input);
    if (!group && (await callsOfGroup(store, id)).length > 0) {
      // a group so far only named by its calls' header: record it, then complete it
      await store.createTraceGroup({ id, name: id });
      group = await store.completeTraceGroup(id, input);
    }
    if (!group) throw notFound(id);
    reply(context, groupJson(group));
  },
};

export const getTraceRoute: Route = {
  method: 'GET',
  pattern: '/v1/traces/:id',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const found = await lookupTrace(await readableStore(context), context.params.id);
    if (!found) throw notFound(context.params.id);
    reply(context, found.kind === 'group' ? groupJson(found.group) : traceJson(found.trace));
  },
};

export const listTracesRoute: Route = {
  method: 'GET',
  pattern: '/v1/traces',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const values = queryValues(context.url.searchParams, LIST_PARAMS);
    const filter = listFilter(values);
    const limit = parseLimit(values.get('limit'));
    const page = await (await readableStore(context)).listTraces(filter, {
      limit,
      cursor: values.get('cursor'),
    });
    reply(context, {
      object: 'list',
      data: page.items.map(traceJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
};
