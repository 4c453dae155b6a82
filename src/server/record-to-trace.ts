import type { ProviderInstance } from '../core/adapters.ts';
import { computeCost, resolvePrice } from '../pricing/index.ts';
import type { ModelRegistry } from '../routing/model-registry.ts';
import type { AttemptRecord, RequestRecord } from '../routing/request-record.ts';
import type { TraceAttempt, TraceRecord } from '../traces/trace-record.ts';
import { catalogKey } from './catalog-info.ts';

const DAY_MS = 86_400_000;

/** Cost of one attempt from its usage and its deployment's price; null when the price is unknown. */
export function attemptCost(
  registry: ModelRegistry,
  attempt: AttemptRecord,
  override?: ProviderInstance,
): number | null {
  if (!attempt.usage) return 0;
  const instance = override ?? registry.providers.get(attempt.provider);
  if (!instance) return null;
  const configured = registry
    .modelEntries()
    .flatMap((entry) => entry.deployments)
    .find((deployment) => deployment.provider === attempt.provider && deployment.model === attempt.model);
  return computeCost(attempt.usage, resolvePrice(catalogKey(instance), attempt.model, configured?.price));
}

/** The request's cost: the sum over attempts (failed-over attempts are billed too); null if any is unknown. */
export function requestCost(registry: ModelRegistry, record: RequestRecord): number | null {
  let total = 0;
  for (const attempt of record.attempts) {
    const cost = attemptCost(registry, attempt);
    if (cost === null) return null;
    total += cost;
  }
  return total;
}

export function toTraceRecord(
  record: RequestRecord,
  costUsd: number | null,
  retentionDays: number,
): TraceRecord {
  const error = record.error;
  return {
    id: record.requestId,
    createdAt: record.startedAt,
    traceGroupId: record.traceGroupId ?? null,
    keyId: null,
    projectId: null,
    clientProtocol: record.clientProtocol,
    endpoint: record.endpoint,
    requestedModel: record.requestedModel || null,
    resolvedModel: record.responseModel ?? record.resolvedModel ?? null,
    provider: record.provider ?? null,
    status: error ? 'error' : 'ok',
    httpStatus: record.httpStatus,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    stream: record.stream,
    finishReason: record.finishReason ?? null,
    usage: record.usage ?? { inputTokens: 0, outputTokens: 0 },
    costUsd,
    latencyMs: Math.round(record.latencyMs ?? 0),
    ttftMs: record.ttftMs === undefined ? null : Math.round(record.ttftMs),
    warnings: record.warnings,
    attempts: record.attempts.map(toTraceAttempt),
    route: null,
    requestBody: null,
    responseBody: null,
    payloadExpiresAt: null,
    recordExpiresAt: retentionDays > 0 ? record.startedAt + retentionDays * DAY_MS : null,
  };
}

function toTraceAttempt(attempt: AttemptRecord): TraceAttempt {
  const failed = attempt.errorCode !== undefined;
  return {
    provider: attempt.provider,
    model: attempt.model,
    status: attempt.errorCode === 'client_closed' ? 'aborted' : failed ? 'error' : 'ok',
    httpStatus: attempt.status,
    ...(attempt.errorCode && { errorCode: attempt.errorCode }),
    ...(attempt.errorMessage && { errorMessage: attempt.errorMessage }),
    latencyMs: Math.round(attempt.latencyMs ?? 0),
    ttftMs: attempt.ttftMs === undefined ? null : Math.round(attempt.ttftMs),
    startedAt: attempt.startedAt,
  };
}
