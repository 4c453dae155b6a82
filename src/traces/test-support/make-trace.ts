// Builds TraceRecords for tests: a complete, realistic record with overrides.
import type { TraceRecord } from '../trace-record.ts';

export function makeTrace(overrides: Partial<TraceRecord> = {}): TraceRecord {
  return {
    id: 'req_1',
    createdAt: 1_700_000_000_000,
    traceGroupId: null,
    keyId: 'key_a',
    projectId: 'proj_a',
    clientProtocol: 'openai-chat',
    endpoint: '/v1/chat/completions',
    requestedModel: 'gpt-4o-mini',
    resolvedModel: 'gpt-4o-mini',
    provider: 'openai',
    status: 'ok',
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    stream: false,
    finishReason: 'stop',
    usage: { inputTokens: 100, outputTokens: 20 },
    costUsd: 0.5,
    latencyMs: 800,
    ttftMs: null,
    warnings: [],
    attempts: [
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        status: 'ok',
        httpStatus: 200,
        latencyMs: 800,
        ttftMs: null,
        startedAt: 1_700_000_000_000,
      },
    ],
    route: null,
    requestBody: null,
    responseBody: null,
    payloadExpiresAt: null,
    recordExpiresAt: null,
    ...overrides,
  };
}

/** n records with ids `${prefix}-0000`… and createdAt one ms apart. */
export function makeTraces(n: number, prefix = 'req', start = 1_700_000_000_000): TraceRecord[] {
  return Array.from({ length: n }, (_, i) =>
    makeTrace({ id: `${prefix}-${String(i).padStart(4, '0')}`, createdAt: start + i }),
  );
}
