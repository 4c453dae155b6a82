// Registry entries (models, providers) added at runtime through the admin API, CLI or dashboard.
import { type Kysely, sql } from 'kysely';
import { cleanText, decodeJson, encodeJson } from './row-mapping.ts';
import type { Database } from './schema.ts';
import type { ModelEntry, StoreDialect } from './store.ts';

export async function putModelEntry(
  db: Kysely<Database>,
  dialect: StoreDialect,
  id: string,
  entry: unknown,
): Promise<void> {
  const row = { id: cleanText(id), entry: encodeJson(entry), updated_at: Date.now() };
  // A replacement always moves updated_at forward, even within the same millisecond or against a slower
  // clock on another instance, so the stamp (below) sees every write.
  const greater = sql.raw(dialect === 'postgres' ? 'greatest' : 'max');
  await db
    .insertInto('registry_entries')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        entry: row.entry,
        updated_at: sql<number>`${greater}(excluded.updated_at, registry_entries.updated_at + 1)`,
      }),
    )
    .execute();
}

export async function listModelEntries(db: Kysely<Database>, dialect: StoreDialect): Promise<ModelEntry[]> {
  const rows = await db.selectFrom('registry_entries').selectAll().orderBy('id', 'asc').execute();
  return rows.map((row) => ({
    id: row.id,
    entry: decodeJson(row.entry, dialect),
    updatedAt: Number(row.updated_at),
  }));
}

export async function deleteModelEntry(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('registry_entries').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Count, latest and sum of updated_at: one aggregate row, cheap enough to poll. */
export async function modelEntriesStamp(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('registry_entries')
    .select([
      sql<number | string>`count(*)`.as('count'),
      sql<number | string | null>`max(updated_at)`.as('latest'),
      sql<number | string | null>`sum(updated_at)`.as('total'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.count}:${row.latest ?? ''}:${row.total ?? ''}`;
}
