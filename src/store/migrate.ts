// Applies numbered migrations once each, in one transaction, recorded in switchyard_migrations.
// PostgreSQL: a transaction-scoped advisory lock (per schema) makes concurrent starts wait for each other;
// DDL is transactional, so a failed migration leaves nothing behind.
// SQLite: the transaction begins IMMEDIATE (see sqlite-dialect.ts), which holds the write lock throughout.
import { type Kysely, sql } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';
import type { Database } from './schema.ts';
import type { StoreDialect } from './store.ts';

const LOCK_NAME = 'switchyard:migrate:';

async function ensureTable(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('switchyard_migrations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function runMigrations(
  db: Kysely<Database>,
  dialect: StoreDialect,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtext(${LOCK_NAME} || coalesce(current_schema(), '')))`.execute(
        trx,
      );
    }
    await ensureTable(trx);
    const done = new Set(
      (await trx.selectFrom('switchyard_migrations').select('id').execute()).map((r) => r.id),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await migration.up(trx, dialect);
      await trx
        .insertInto('switchyard_migrations')
        .values({ id: migration.id, applied_at: Date.now() })
        .execute();
      applied.push(migration.id);
    }
    return applied;
  });
}
