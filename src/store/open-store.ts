// openStore(url): `sqlite:<path>`, `sqlite::memory:`, a plain path (default ./switchyard.db),
// or `postgres://…` / `postgresql://…` (optional `?schema=<name>`). Migrations are applied at open.
import { sql } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { PostgresOptions } from './open-postgres.ts';
import { openSqlite, type SqliteOptions } from './open-sqlite.ts';
import { checkSchemaName } from './schema-name.ts';
import { sqliteTraceInserter } from './sqlite-trace-insert.ts';

export const DEFAULT_STORE_URL = './switchyard.db';

export interface OpenStoreOptions extends SqliteOptions, PostgresOptions {
  /** apply pending migrations at open; default true */
  migrate?: boolean;
}

export type StoreLocation =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string; schema?: string };

export function parseStoreUrl(url: string = DEFAULT_STORE_URL): StoreLocation {
  const value = url.trim() === '' ? DEFAULT_STORE_URL : url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) {
    const parsed = new URL(value);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    const location: StoreLocation = { dialect: 'postgres', connectionString: parsed.toString() };
    if (schema) location.schema = checkSchemaName(schema);
    return location;
  }
  if (/^sqlite:/i.test(value)) {
    const rest = value.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '');
    return { dialect: 'sqlite', path: rest === '' || rest === ':memory:' ? ':memory:' : rest };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new Error(`unsupported store URL scheme: ${value.split(':')[0]}`);
  return { dialect: 'sqlite', path: value };
}

export async function openStore(url?: string, options: OpenStoreOptions = {}): Promise<KyselyStore> {
  const location = parseStoreUrl(url);
  let store: KyselyStore;
  if (location.dialect === 'sqlite') {
    const opened = openSqlite(location.path, options);
    store = new KyselyStore(opened.db, 'sqlite', sqliteTraceInserter(opened.db, opened.database));
  } else {
    const schema = options.schema ?? location.schema;
    // loaded only for PostgreSQL: the embedded default does not carry the driver in memory
    const { openPostgres } = await import('./open-postgres.ts');
    store = new KyselyStore(openPostgres(location.connectionString, { ...options, schema }), 'postgres');
    if (schema) await createSchema(store, schema);
  }
  try {
    if (options.migrate !== false) await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function createSchema(store: KyselyStore, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
  } catch (error) {
    // two instances creating it at once: the loser sees a unique violation, and the schema exists
    if ((error as { code?: string }).code === '23505') return;
    await store.close();
    throw error;
  }
}
