// Opens a SQLite file with node:sqlite: WAL, busy timeout, foreign keys. No query builder, so a thread
// that only writes (the trace writer's) loads nothing else.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface SqliteOptions {
  /** how long a writer waits for another process's lock; default 5000 ms */
  busyTimeoutMs?: number;
}

export function openSqliteDatabase(path: string, options: SqliteOptions = {}): DatabaseSync {
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
  return database;
}
