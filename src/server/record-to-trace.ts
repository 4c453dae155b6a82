import type { ProviderInstance } from '../core/adapters.ts';
import type { ResolvedPrice } from '../pricing/index.ts';
import { computeCost, resolvePrice } from '../pricing/index.ts';
import type { ModelRegistry } from '../routing/model-registry.ts';
import { parseModelString } from '../routing/model-string.ts';
import type { AttemptRecord, RequestRecord } from '../routing/request-record.ts';
import type { TraceAttempt, TraceRecord } from '../traces/trace-record.ts';
import type { CapturedPayloads } from './capture-payloads.ts';
import { catalogKey } from './catalog-info.ts';
import type { TraceSettings } from './retention.ts';

const DAY_MS = 86_400_000;

const PRICE_CACHE_MS = 60_000;
/** provider → model → price; nested so a lookup builds no key string */
const priceCache = new Map<string, Map<string, { price: ResolvedPrice | undefined; until: number }>>();

/** Forgets every cached price; called when model entries change so no stale price is billed. */
export function clearPriceCache(): void {
  priceCache.clear();
}

/** A deployment's price, cached briefly: the catalog lookup is too costly to repeat for every request. */
function priceOf(registry: ModelRegistry, instance: ProviderInstance, provider: string, model: string) {
  let byModel = priceCache.get(provider);
  if (byModel === undefined) {
    byModel = new Map();
    priceCache.set(provider, byModel);
  }
  const now = Date.now();
  const cached = byModel.get(model);
  if (cached && cached.until > now) return cached.price;
  const price = resolvePrice(catalogKey(instance), model, registry.configuredPrice(provider, model));
  byModel.set(model, { price, until: now + PRICE_CACHE_MS });
  return price;
}

/** Cost of one attempt from its usage and its deployment's price; null when the price is unknown. */
export function attemptCost(registry: ModelRegistry, attempt: AttemptRecord): number | null {
  if (!attempt.usage) return 0;
  const instance = registry.providers.get(attempt.provider);
  if (!instance) return null;
  return computeCost(attempt.usage, priceOf(registry, instance, attempt.provider, attempt.model));
}

/** What the attempts have cost so far (not cached: a stream's usage still grows); null if any price is unknown. */
export function costSoFar(registry: ModelRegistry, record: RequestRecord): number | null {
  let total = 0;
  for (const attempt of record.attempts) {
    const cost = attemptCost(registry, attempt);
    if (cost === null) return null;
    total += cost;
  }
  return total;
}

/** The request's cost, computed once: the sum over attempts (failed-over attempts are billed too); null if any is unknown. */
export function requestCost(registry: ModelRegistry, record: RequestRecord): number | null {
  if (record.costUsd === undefined) record.costUsd = costSoFar(registry, record);
  return record.costUsd;
}

export interface TraceRetention {
  /** null = kept forever */
  recordExpiresAt: number | null;
  /** null when no bodies are kept, or when kept bodies never expire */
  payloadExpiresAt: number | null;
  keepPayloads: boolean;
}

/** The model entry's data_retention_days for the requested model, when it has one. */
export function modelRetentionDays(registry: ModelRegistry, record: RequestRecord): number | undefined {
  if (!record.requestedModel) return undefined;
  return registry.getModel(parseModelString(record.requestedModel).model)?.dataRetentionDays;
}

/**
 * When a trace and its bodies expire: a model entry's data_retention_days sets both (0 keeps no bodies
 * and expires the row at once); otherwise the trace settings, bodies never outliving their row.
 */
export function traceRetention(
  startedAt: number,
  settings: TraceSettings,
  modelDays?: number,
): TraceRetention {
  const after = (days: number) => startedAt + Math.round(days * DAY_MS);
  if (modelDays !== undefined) {
    const keepPayloads = settings.logPayloads && modelDays > 0;
    return {
      recordExpiresAt: after(modelDays),
      payloadExpiresAt: keepPayloads ? after(modelDays) : null,
      keepPayloads,
    };
  }
  const recordExpiresAt = settings.retentionDays > 0 ? after(settings.retentionDays) : null;
  if (!settings.logPayloads) return { recordExpiresAt, payloadExpiresAt: null, keepPayloads: false };
  const payloadAt = settings.payloadRetentionDays > 0 ? after(settings.payloadRetentionDays) : null;
  const payloadExpiresAt =
    payloadAt === null || recordExpiresAt === null
      ? (payloadAt ?? recordExpiresAt)
      : Math.min(payloadAt, recordExpiresAt);
  return { recordExpiresAt, payloadExpiresAt, keepPayloads: true };
}

export function toTraceRecord(
  record: RequestRecord,
  costUsd: number | null,
  retention: TraceRetention,
  payloads?: CapturedPayloads,
): TraceRecord {
  const kept = retention.keepPayloads ? payloads : undefined;
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
    route: record.route ?? null,
    requestBody: kept?.requestBody ?? null,
    responseBody: kept?.responseBody ?? null,
    payloadExpiresAt: kept ? retention.payloadExpiresAt : null,
    recordExpiresAt: retention.recordExpiresAt,
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
