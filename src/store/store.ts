// The one storage interface. Implemented over Kysely for SQLite (node:sqlite) and PostgreSQL (pg);
// both run the same contract suite (contract.ts).
import type { TraceRecord, TraceStatus, TraceSummary } from '../traces/trace-record.ts';

export type StoreDialect = 'sqlite' | 'postgres';

export interface TraceFilter {
  /** inclusive, epoch ms */
  from?: number;
  /** exclusive, epoch ms */
  to?: number;
  /** matches the resolved or the requested model */
  model?: string;
  provider?: string;
  keyId?: string;
  projectId?: string;
  status?: TraceStatus;
  traceGroupId?: string;
}

export interface PageRequest {
  /** default 50, at most 1000 */
  limit?: number;
  /** opaque, from a previous page's nextCursor */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** null when there is nothing more */
  nextCursor: string | null;
}

export interface PurgeResult {
  /** rows whose request/response bodies were cleared */
  payloadsCleared: number;
  /** rows deleted */
  tracesDeleted: number;
}

export interface TraceGroup {
  id: string;
  name: string;
  /** 'open' until completed; then the status given at completion (default 'completed') */
  status: string;
  metadata: Record<string, unknown>;
  createdAt: number;
  completedAt: number | null;
}

export interface TraceGroupTotals {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** sum of the known costs; null when no call has a known cost */
  costUsd: number | null;
  /** calls whose cost is unknown (not included in costUsd) */
  unknownCostCalls: number;
  /** sum of the calls' latencies */
  latencyMs: number;
  /** from the first call's start to the last call's end; 0 without calls */
  spanMs: number;
}

export interface TraceGroupDetail extends TraceGroup {
  /** oldest first, without payloads */
  calls: TraceSummary[];
  totals: TraceGroupTotals;
}

export interface CreateTraceGroupInput {
  id?: string;
  name: string;
  metadata?: Record<string, unknown>;
}

export interface CompleteTraceGroupInput {
  status?: string;
  /** shallow-merged into the stored metadata */
  metadata?: Record<string, unknown>;
}

export type SpendGroupBy = 'model' | 'provider' | 'key' | 'project' | 'day';

export interface SpendQuery {
  groupBy: SpendGroupBy;
  /** inclusive, epoch ms */
  from?: number;
  /** exclusive, epoch ms */
  to?: number;
}

export interface SpendRow {
  /**
   * model (the resolved model, else the requested one) / provider / key id / project id,
   * or 'YYYY-MM-DD' (UTC) for day; null when the traces have none
   */
  group: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** sum of known costs; null when no request in the group has a known cost */
  costUsd: number | null;
  unknownCostRequests: number;
}

export interface StoredResponse {
  id: string;
  createdAt: number;
  body: unknown;
  inputItems: unknown[];
  previousResponseId: string | null;
  /** epoch ms; null = never expires */
  expiresAt: number | null;
}

export interface ModelEntry {
  id: string;
  entry: unknown;
  updatedAt: number;
}

export interface IntegrityResult {
  ok: boolean;
  /** 'ok' or the problems the database reported */
  details: string[];
}

export interface Store {
  readonly dialect: StoreDialect;

  /** Applies pending migrations (also done by openStore); returns the ids applied now. */
  migrate(): Promise<string[]>;

  /** Idempotent by id: a replayed record is skipped. Returns the number of rows inserted. */
  insertTraces(records: readonly TraceRecord[]): Promise<number>;
  getTrace(id: string): Promise<TraceRecord | undefined>;
  /** Newest first. */
  listTraces(filter?: TraceFilter, page?: PageRequest): Promise<Page<TraceSummary>>;
  /** Clears payloads past payload_expires_at and deletes rows past record_expires_at. */
  purgeTraces(now: number): Promise<PurgeResult>;

  /** Idempotent: when the id exists, the stored group is returned unchanged. */
  createTraceGroup(input: CreateTraceGroupInput): Promise<TraceGroup>;
  completeTraceGroup(id: string, input?: CompleteTraceGroupInput): Promise<TraceGroup | undefined>;
  getTraceGroup(id: string): Promise<TraceGroupDetail | undefined>;

  spend(query: SpendQuery): Promise<SpendRow[]>;

  /** Upsert by id. */
  putResponse(response: StoredResponse): Promise<void>;
  /** undefined when missing or expired at `now` (default Date.now()). */
  getResponse(id: string, now?: number): Promise<StoredResponse | undefined>;
  deleteResponse(id: string): Promise<boolean>;
  /** Deletes responses past expires_at; returns how many. */
  purgeResponses(now: number): Promise<number>;

  /** Upsert by id. */
  putModelEntry(id: string, entry: unknown): Promise<void>;
  /** Ordered by id. */
  listModelEntries(): Promise<ModelEntry[]>;
  deleteModelEntry(id: string): Promise<boolean>;
  /**
   * Changes whenever an entry is put or deleted (a replacement moves its updated_at forward); cheap to
   * poll, so instances sharing a store reload their registry only when it differs from the last one seen.
   */
  modelEntriesStamp(): Promise<string>;

  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  integrityCheck(): Promise<IntegrityResult>;
  close(): Promise<void>;
}
