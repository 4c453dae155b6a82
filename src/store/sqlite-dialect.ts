// A Kysely dialect over the built-in node:sqlite DatabaseSync.
// Kysely's SqliteDialect expects better-sqlite3's shape (prepare → {reader, all(params[]), run(params[])});
// we adapt DatabaseSync to that shape and keep Kysely's single-connection driver (it serialises queries
// with a mutex), changing only how a transaction begins: BEGIN IMMEDIATE takes the write lock up front,
// so two processes on one file wait on busy_timeout instead of failing on a lock upgrade.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type SqliteStatement,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 128;

function bindValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  return value as SQLInputValue;
}

function bindAll(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map(bindValue);
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  return {
    // A statement returns rows when it has result columns: SELECT, PRAGMA, and INSERT/UPDATE/DELETE … RETURNING.
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...bindAll(parameters)),
    run: (parameters) => statement.run(...bindAll(parameters)),
    iterate: (parameters) => statement.iterate(...bindAll(parameters)),
  };
}

/** Wraps a DatabaseSync in the interface Kysely's SQLite driver expects, with a small statement cache. */
export function adaptNodeSqlite(database: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        // move to the back: the map's first key is the least recently used
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = adaptStatement(database.prepare(sql));
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close(): void {
      cache.clear();
      if (database.isOpen) database.close();
    },
  };
}

class NodeSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class NodeSqliteDialect implements Dialect {
  readonly #database: DatabaseSync;

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver({ database: adaptNodeSqlite(this.#database) });
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes Kysely<any>
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
