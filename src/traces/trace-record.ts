// One trace per request, as stored in the `traces` table (see src/store/migrations/0001_init.ts).
import type { Usage } from '../core/canonical.ts';

export type TraceStatus = 'ok' | 'error';

/** One try against one deployment. The executor records every attempt, including failed ones. */
export interface TraceAttempt {
  /** provider instance id of the deployment */
  provider: string;
  /** the provider's model id */
  model: string;
  deploymentId?: string;
  status: 'ok' | 'error' | 'aborted';
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  latencyMs: number;
  ttftMs?: number | null;
  /** epoch ms */
  startedAt: number;
  /** e.g. 'retry', 'fallback', 'mid-stream failover: prefix continuation' */
  note?: string;
}

export interface TraceRecord {
  /** the request id */
  id: string;
  /** epoch ms when the request arrived */
  createdAt: number;
  traceGroupId: string | null;
  keyId: string | null;
  projectId: string | null;
  clientProtocol: string;
  endpoint: string;
  requestedModel: string | null;
  resolvedModel: string | null;
  provider: string | null;
  status: TraceStatus;
  httpStatus: number;
  errorCode: string | null;
  errorMessage: string | null;
  stream: boolean;
  finishReason: string | null;
  /** normalised usage: inputTokens includes cache tokens, outputTokens includes reasoning tokens */
  usage: Usage;
  /** null = price unknown; never 0 for unknown */
  costUsd: number | null;
  latencyMs: number;
  ttftMs: number | null;
  warnings: string[];
  attempts: TraceAttempt[];
  route: Record<string, unknown> | null;
  /** present only when payload logging is on and retention allows */
  requestBody: string | null;
  responseBody: string | null;
  /** epoch ms after which request/response bodies are cleared */
  payloadExpiresAt: number | null;
  /** epoch ms after which the whole row is deleted */
  recordExpiresAt: number | null;
}

/** A trace without its payloads: what listings return. */
export type TraceSummary = Omit<TraceRecord, 'requestBody' | 'responseBody'>;
