// Trace groups: a named set of calls (an agent run, a batch job) with totals over its traces.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { TraceSummary } from '../traces/trace-record.ts';
import { cleanText, decodeJson, encodeJson, toTraceSummary } from './row-mapping.ts';
import type { Database, TraceGroupsTable } from './schema.ts';
import type {
  CompleteTraceGroupInput,
  CreateTraceGroupInput,
  StoreDialect,
  TraceGroup,
  TraceGroupDetail,
  TraceGroupTotals,
} from './store.ts';
import { SUMMARY_COLUMNS } from './trace-queries.ts';

function toGroup(row: Selectable<TraceGroupsTable>, dialect: StoreDialect): TraceGroup {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    metadata: (decodeJson(row.metadata, dialect) ?? {}) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}

async function findGroup(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
): Promise<TraceGroup | undefined> {
  const row = await db.selectFrom('trace_groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroup(row, dialect) : undefined;
}

export async function createTraceGroup(
  db: Kysely<Database>,
  dialect: StoreDialect,
  input: CreateTraceGroupInput,
): Promise<TraceGroup> {
  const id = input.id ?? randomUUID();
  await db
    .insertInto('trace_groups')
    .values({
      id: cleanText(id),
      name: cleanText(input.name),
      status: 'open',
      metadata: encodeJson(input.metadata ?? {}),
      created_at: Date.now(),
      completed_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const group = await findGroup(db, dialect, cleanText(id));
  if (!group) throw new Error(`trace group ${id} vanished after insert`);
  return group;
}

export async function completeTraceGroup(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
  input: CompleteTraceGroupInput,
): Promise<TraceGroup | undefined> {
  return db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, dialect, id);
    if (!group) return undefined;
    const metadata = { ...group.metadata, ...(input.metadata ?? {}) };
    const completedAt = Date.now();
    const status = input.status ?? 'completed';
    await trx
      .updateTable('trace_groups')
      .set({ status: cleanText(status), metadata: encodeJson(metadata), completed_at: completedAt })
      .where('id', '=', id)
      .execute();
    return { ...group, status, metadata, completedAt };
  });
}

export function groupTotals(calls: readonly TraceSummary[]): TraceGroupTotals {
  const totals: TraceGroupTotals = {
    calls: calls.length,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    unknownCostCalls: 0,
    latencyMs: 0,
    spanMs: 0,
  };
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const call of calls) {
    if (call.status === 'error') totals.errors++;
    totals.inputTokens += call.usage.inputTokens;
    totals.outputTokens += call.usage.outputTokens;
    if (call.costUsd === null) totals.unknownCostCalls++;
    else totals.costUsd = (totals.costUsd ?? 0) + call.costUsd;
    totals.latencyMs += call.latencyMs;
    start = Math.min(start, call.createdAt);
    end = Math.max(end, call.createdAt + call.latencyMs);
  }
  if (calls.length > 0) totals.spanMs = end - start;
  return totals;
}

export async function getTraceGroup(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
): Promise<TraceGroupDetail | undefined> {
  const group = await findGroup(db, dialect, id);
  if (!group) return undefined;
  const rows = await db
    .selectFrom('traces')
    .select(SUMMARY_COLUMNS)
    .where('trace_group_id', '=', id)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const calls = rows.map((row) => toTraceSummary(row, dialect));
  return { ...group, calls, totals: groupTotals(calls) };
}
