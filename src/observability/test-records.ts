// Builds real RequestRecord instances for the observability tests.
import type { Target } from '../core/adapters.ts';
import type { Usage } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { WireProtocol } from '../core/protocols.ts';
import { RequestRecord } from '../routing/request-record.ts';

export function target(provider: string, model: string): Target {
  return {
    provider: {
      id: provider,
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:1',
      options: {},
      source: 'env',
    },
    deployment: { provider, model },
    modelId: model,
  };
}

export interface AttemptScript {
  provider: string;
  model: string;
  /** a failed attempt; otherwise it succeeds */
  error?: GatewayError;
  usage?: Usage;
  latencyMs: number;
  ttftMs?: number;
  /** epoch ms; defaults to the record start */
  startedAt?: number;
}

export interface RecordScript {
  id: string;
  protocol?: WireProtocol;
  endpoint?: string;
  model: string;
  stream?: boolean;
  attempts: AttemptScript[];
  finishReason?: string;
  responseModel?: string;
  error?: GatewayError;
  latencyMs: number;
  ttftMs?: number;
  startedAt?: number;
}

/** Runs a record through startAttempt/complete, then pins the timings so assertions are exact. */
export function buildRecord(script: RecordScript): RequestRecord {
  const record = new RequestRecord(
    script.id,
    script.protocol ?? 'openai-chat',
    script.endpoint ?? '/v1/chat/completions',
  );
  record.requestedModel = script.model;
  record.stream = script.stream ?? false;
  for (const step of script.attempts) {
    const tap = record.startAttempt(target(step.provider, step.model));
    if (step.ttftMs !== undefined) tap.onFirstByte();
    if (step.usage) tap.onUsage(step.usage);
    if (step.error) {
      tap.fail(step.error);
    } else {
      record.provider = step.provider;
      record.resolvedModel = step.model;
      if (script.responseModel) tap.onResponseModel(script.responseModel);
      if (script.finishReason) tap.onFinish(script.finishReason);
      tap.end();
    }
    tap.attempt.latencyMs = step.latencyMs;
    if (step.ttftMs !== undefined) tap.attempt.ttftMs = step.ttftMs;
  }
  record.complete(script.error);
  const startedAt = script.startedAt ?? record.startedAt;
  Object.assign(record, { startedAt, latencyMs: script.latencyMs, ttftMs: script.ttftMs });
  let offset = 0;
  for (const [i, step] of script.attempts.entries()) {
    record.attempts[i].startedAt = step.startedAt ?? startedAt + offset;
    offset += step.latencyMs;
  }
  return record;
}

export function upstreamError(
  code: 'rate_limited' | 'upstream_unavailable' | 'upstream_error',
  status: number,
) {
  return new GatewayError(code, `upstream said ${status}`, { status });
}
