// A SQLite file behind Kysely, with the bare connection kept for the batched trace inserts.
import type { DatabaseSync } from 'node:sqlite';
import { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { openSqliteDatabase, type SqliteOptions } from './sqlite-connection.ts';
import { NodeSqliteDialect } from './sqlite-dialect.ts';

export type { SqliteOptions } from './sqlite-connection.ts';

export interface OpenedSqlite {
  db: Kysely<Database>;
  /** the connection under Kysely, for work Kysely makes costly (batched trace inserts) */
  database: DatabaseSync;
}

export function openSqlite(path: string, options: SqliteOptions = {}): OpenedSqlite {
  const database = openSqliteDatabase(path, options);
  return { db: new Kysely<Database>({ dialect: new NodeSqliteDialect(database) }), database };
}
