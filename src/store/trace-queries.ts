// traces: idempotent batch insert, lookup, newest-first listing with a keyset cursor, retention purge.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { GatewayError } from '../core/errors.ts';
import type { TraceRecord, TraceSummary } from '../traces/trace-record.ts';
import { toTraceRecord, toTraceRow, toTraceSummary } from './row-mapping.ts';
import type { Database } from './schema.ts';
import type { Page, PageRequest, PurgeResult, StoreDialect, TraceFilter } from './store.ts';

/** 32 columns per row: 200 rows stay well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 200;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

export const SUMMARY_COLUMNS = [
  'id',
  'created_at',
  'trace_group_id',
  'key_id',
  'project_id',
  'client_protocol',
  'endpoint',
  'requested_model',
  'resolved_model',
  'provider',
  'status',
  'http_status',
  'error_code',
  'error_message',
  'stream',
  'finish_reason',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'cost_usd',
  'latency_ms',
  'ttft_ms',
  'warnings',
  'attempts',
  'route',
  'payload_expires_at',
  'record_expires_at',
] as const;

/** Every column of a row, in table order (the SQLite inserter binds values by position). */
export const TRACE_COLUMNS = [...SUMMARY_COLUMNS, 'request_body', 'response_body'] as const;

/** Multi-row statements in one transaction (PostgreSQL; SQLite has its own inserter, sqlite-trace-insert.ts). */
export async function insertTraces(db: Kysely<Database>, records: readonly TraceRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const rows = records.map(toTraceRow);
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const result = await trx
        .insertInto('traces')
        .values(rows.slice(start, start + ROWS_PER_STATEMENT))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  });
}

export async function getTrace(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
): Promise<TraceRecord | undefined> {
  const row = await db.selectFrom('traces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTraceRecord(row, dialect) : undefined;
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_request', 'invalid cursor', { param: 'cursor' });
}

type TracesSelect<O> = SelectQueryBuilder<Database, 'traces', O>;

export function applyTraceFilter<O>(query: TracesSelect<O>, filter: TraceFilter): TracesSelect<O> {
  let q = query;
  if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('created_at', '<', filter.to);
  if (filter.model !== undefined) {
    const model = filter.model;
    q = q.where((eb) => eb.or([eb('resolved_model', '=', model), eb('requested_model', '=', model)]));
  }
  if (filter.provider !== undefined) q = q.where('provider', '=', filter.provider);
  if (filter.keyId !== undefined) q = q.where('key_id', '=', filter.keyId);
  if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.traceGroupId !== undefined) q = q.where('trace_group_id', '=', filter.traceGroupId);
  return q;
}

export async function listTraces(
  db: Kysely<Database>,
  dialect: StoreDialect,
  filter: TraceFilter,
  page: PageRequest,
): Promise<Page<TraceSummary>> {
  const requested = Number.isFinite(page.limit) ? Math.trunc(page.limit as number) : DEFAULT_LIMIT;
  const limit = Math.min(Math.max(requested, 1), MAX_LIMIT);
  let query = applyTraceFilter(db.selectFrom('traces').select(SUMMARY_COLUMNS), filter);
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((row) => toTraceSummary(row, dialect));
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null;
  return { items, nextCursor };
}

export async function purgeTraces(db: Kysely<Database>, now: number): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('traces').where('record_expires_at', '<=', now).executeTakeFirst();
    const cleared = await trx
      .updateTable('traces')
      .set({ request_body: null, response_body: null, payload_expires_at: null })
      .where('payload_expires_at', '<=', now)
      .executeTakeFirst();
    return {
      payloadsCleared: Number(cleared.numUpdatedRows),
      tracesDeleted: Number(deleted.numDeletedRows),
    };
  });
}
