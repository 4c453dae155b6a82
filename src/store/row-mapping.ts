// TraceRecord <-> traces row, and the value clean-up both dialects need.
// Values are made safe to write: PostgreSQL rejects NUL characters in text and jsonb and non-integers in
// integer columns, and a record the database refuses would otherwise block every later batch.
import type { Insertable, Selectable } from 'kysely';
import type { Usage } from '../core/canonical.ts';
import type { TraceAttempt, TraceRecord, TraceStatus, TraceSummary } from '../traces/trace-record.ts';
import type { TracesTable } from './schema.ts';
import type { StoreDialect } from './store.ts';

const REPLACEMENT = '\uFFFD';

export function cleanText(value: string): string;
export function cleanText(value: string | null | undefined): string | null;
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text.includes('\0') ? text.replaceAll('\0', REPLACEMENT) : text;
}

export function encodeJson(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  // NUL is rare: only then pay for a replacer that cleans every string
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(value ?? null, (_key, v) => (typeof v === 'string' ? cleanText(v) : v));
}

export function encodeNullableJson(value: unknown): string | null {
  return value === null || value === undefined ? null : encodeJson(value);
}

/** SQLite hands JSON back as text, PostgreSQL (jsonb) already parsed. */
export function decodeJson(value: unknown, dialect: StoreDialect): unknown {
  if (dialect === 'sqlite' && typeof value === 'string') return JSON.parse(value);
  return value;
}

export function int(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : 0;
}

export function intOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return Number(value);
}

export function toTraceRow(record: TraceRecord): Insertable<TracesTable> {
  const usage = record.usage ?? { inputTokens: 0, outputTokens: 0 };
  return {
    id: cleanText(record.id),
    created_at: int(record.createdAt),
    trace_group_id: cleanText(record.traceGroupId),
    key_id: cleanText(record.keyId),
    project_id: cleanText(record.projectId),
    client_protocol: cleanText(record.clientProtocol ?? ''),
    endpoint: cleanText(record.endpoint ?? ''),
    requested_model: cleanText(record.requestedModel),
    resolved_model: cleanText(record.resolvedModel),
    provider: cleanText(record.provider),
    status: record.status === 'ok' ? 'ok' : 'error',
    http_status: int(record.httpStatus),
    error_code: cleanText(record.errorCode),
    error_message: cleanText(record.errorMessage),
    stream: record.stream === true,
    finish_reason: cleanText(record.finishReason),
    input_tokens: int(usage.inputTokens),
    output_tokens: int(usage.outputTokens),
    cache_read_tokens: intOrNull(usage.cacheReadTokens),
    cache_write_tokens: intOrNull(usage.cacheWriteTokens),
    reasoning_tokens: intOrNull(usage.reasoningTokens),
    usage_estimated: usage.estimated === true,
    cost_usd: finiteOrNull(record.costUsd),
    latency_ms: int(record.latencyMs),
    ttft_ms: intOrNull(record.ttftMs),
    warnings: encodeJson(record.warnings ?? []),
    attempts: encodeJson(record.attempts ?? []),
    route: encodeNullableJson(record.route),
    request_body: cleanText(record.requestBody),
    response_body: cleanText(record.responseBody),
    payload_expires_at: intOrNull(record.payloadExpiresAt),
    record_expires_at: intOrNull(record.recordExpiresAt),
  };
}

function toUsage(row: Partial<Selectable<TracesTable>>): Usage {
  const usage: Usage = { inputTokens: Number(row.input_tokens), outputTokens: Number(row.output_tokens) };
  if (row.cache_read_tokens !== null) usage.cacheReadTokens = Number(row.cache_read_tokens);
  if (row.cache_write_tokens !== null) usage.cacheWriteTokens = Number(row.cache_write_tokens);
  if (row.reasoning_tokens !== null) usage.reasoningTokens = Number(row.reasoning_tokens);
  if (row.usage_estimated) usage.estimated = true;
  return usage;
}

export function toTraceSummary(
  row: Omit<Selectable<TracesTable>, 'request_body' | 'response_body'>,
  dialect: StoreDialect,
): TraceSummary {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    traceGroupId: row.trace_group_id,
    keyId: row.key_id,
    projectId: row.project_id,
    clientProtocol: row.client_protocol,
    endpoint: row.endpoint,
    requestedModel: row.requested_model,
    resolvedModel: row.resolved_model,
    provider: row.provider,
    status: row.status as TraceStatus,
    httpStatus: Number(row.http_status),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    stream: Boolean(row.stream),
    finishReason: row.finish_reason,
    usage: toUsage(row),
    costUsd: num(row.cost_usd),
    latencyMs: Number(row.latency_ms),
    ttftMs: num(row.ttft_ms),
    warnings: decodeJson(row.warnings, dialect) as string[],
    attempts: decodeJson(row.attempts, dialect) as TraceAttempt[],
    route: decodeJson(row.route, dialect) as Record<string, unknown> | null,
    payloadExpiresAt: num(row.payload_expires_at),
    recordExpiresAt: num(row.record_expires_at),
  };
}

export function toTraceRecord(row: Selectable<TracesTable>, dialect: StoreDialect): TraceRecord {
  return { ...toTraceSummary(row, dialect), requestBody: row.request_body, responseBody: row.response_body };
}
