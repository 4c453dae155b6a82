// A pg pool for PostgreSQL: int8/numeric read as numbers, a bounded connect timeout, optional schema.
import { userInfo } from 'node:os';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { checkSchemaName } from './schema-name.ts';

export interface PostgresOptions {
  /** schema to use (search_path); created if missing */
  schema?: string;
  /** pool size; default 10 */
  maxConnections?: number;
  /** default 10000 ms */
  connectTimeoutMs?: number;
  /** reports connections that broke outside a query (e.g. the server ended them); they are replaced */
  onIdleError?: (error: Error) => void;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Per-pool parsers (not pg's global ones): counts, sums and epoch-ms bigints fit in a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** Like libpq: without a user in the URL or the environment, connect as the operating-system user. */
export function withDefaultUser(connectionString: string): string {
  if (process.env.PGUSER || process.env.USER) return connectionString;
  const url = new URL(connectionString);
  if (url.username) return connectionString;
  url.username = encodeURIComponent(userInfo().username);
  return url.toString();
}

export function openPostgres(connectionString: string, options: PostgresOptions = {}): Kysely<Database> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: withDefaultUser(connectionString),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection the server ends emits 'error' on its client; without a listener that crashes the process.
  // The pool listens while a client is idle; this covers clients checked out between two queries too.
  // The failed query itself still rejects, and the pool discards the broken client.
  const report = (error: Error) => options.onIdleError?.(error);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
