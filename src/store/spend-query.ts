// Spend report: requests, tokens and known cost grouped by model, provider, key, project or UTC day.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.ts';
import type { SpendGroupBy, SpendQuery, SpendRow } from './store.ts';

const DAY_MS = 86_400_000;

function groupExpression(groupBy: SpendGroupBy): RawBuilder<unknown> {
  switch (groupBy) {
    case 'model':
      return sql<string | null>`coalesce(resolved_model, requested_model)`;
    case 'provider':
      return sql<string | null>`provider`;
    case 'key':
      return sql<string | null>`key_id`;
    case 'project':
      return sql<string | null>`project_id`;
    case 'day':
      // integer division in both dialects (bigint / integer); formatted as a date below
      return sql<number>`created_at / ${sql.lit(DAY_MS)}`;
  }
}

function formatGroup(groupBy: SpendGroupBy, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (groupBy === 'day') return new Date(Number(value) * DAY_MS).toISOString().slice(0, 10);
  return String(value);
}

function compareRows(groupBy: SpendGroupBy) {
  return (a: SpendRow, b: SpendRow): number => {
    if (groupBy !== 'day') {
      const byCost = (b.costUsd ?? -1) - (a.costUsd ?? -1);
      if (byCost !== 0) return byCost;
    }
    return (a.group ?? '').localeCompare(b.group ?? '');
  };
}

/** Ordered by day for 'day', else by known cost (highest first), then by group. */
export async function spend(db: Kysely<Database>, query: SpendQuery): Promise<SpendRow[]> {
  const group = groupExpression(query.groupBy);
  let q = db
    .selectFrom('traces')
    .select([
      group.as('group_value'),
      sql<number>`count(*)`.as('requests'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number | null>`sum(cost_usd)`.as('cost_usd'),
      sql<number>`sum(case when cost_usd is null then 1 else 0 end)`.as('unknown_cost'),
    ])
    .groupBy(group);
  if (query.from !== undefined) q = q.where('created_at', '>=', query.from);
  if (query.to !== undefined) q = q.where('created_at', '<', query.to);
  const rows = await q.execute();
  return rows
    .map((row) => ({
      group: formatGroup(query.groupBy, row.group_value),
      requests: Number(row.requests),
      inputTokens: Number(row.input_tokens ?? 0),
      outputTokens: Number(row.output_tokens ?? 0),
      costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
      unknownCostRequests: Number(row.unknown_cost),
    }))
    .sort(compareRows(query.groupBy));
}
