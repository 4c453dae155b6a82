// Registry entries (models, providers) added at runtime through the admin API, CLI or dashboard.
import type { Kysely } from 'kysely';
import { cleanText, decodeJson, encodeJson } from './row-mapping.ts';
import type { Database } from './schema.ts';
import type { ModelEntry, StoreDialect } from './store.ts';

export async function putModelEntry(db: Kysely<Database>, id: string, entry: unknown): Promise<void> {
  const row = { id: cleanText(id), entry: encodeJson(entry), updated_at: Date.now() };
  await db
    .insertInto('registry_entries')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ entry: row.entry, updated_at: row.updated_at }))
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
