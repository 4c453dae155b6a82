// Opens a SQLite file with node:sqlite: WAL, busy timeout, foreign keys.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { NodeSqliteDialect } from './sqlite-dialect.ts';

export interface SqliteOptions {
  /** how long a writer waits for another process's lock; default 5000 ms */
  busyTimeoutMs?: number;
}

export interface OpenedSqlite {
  db: Kysely<Database>;
  /** the connection under Kysely, for work Kysely makes costly (batched trace inserts) */
  database: DatabaseSync;
}

export function openSqlite(path: string, options: SqliteOptions = {}): OpenedSqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    database.exec(`pragma busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    database.exec('pragma journal_mode = wal');
    // in WAL mode NORMAL loses no committed transaction on a process crash (only on power loss)
    database.exec('pragma synchronous = normal');
    database.exec('pragma foreign_keys = on');
  } catch (error) {
    database.close();
    throw error;
  }
  return { db: new Kysely<Database>({ dialect: new NodeSqliteDialect(database) }), database };
}
