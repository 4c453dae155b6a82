// PostgreSQL for tests: reachability (skip or, with SWITCHYARD_REQUIRE_SERVICES=1, fail), and a fresh
// schema per store so parallel runs never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { KyselyStore } from '../kysely-store.ts';
import { withDefaultUser } from '../open-postgres.ts';
import { type OpenStoreOptions, openStore } from '../open-store.ts';

export const TEST_POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL || 'postgres://127.0.0.1:5432/test';

export function servicesRequired(): boolean {
  return process.env.SWITCHYARD_REQUIRE_SERVICES === '1';
}

export async function withPgClient<T>(
  fn: (client: pg.Client) => Promise<T>,
  url = TEST_POSTGRES_URL,
): Promise<T> {
  const client = new pg.Client({ connectionString: withDefaultUser(url), connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** undefined when reachable; otherwise the skip message. */
export async function postgresUnavailable(url = TEST_POSTGRES_URL): Promise<string | undefined> {
  try {
    await withPgClient((client) => client.query('select 1'), url);
    return undefined;
  } catch {
    return `PostgreSQL not reachable at ${url}: skipping PostgreSQL store suite`;
  }
}

export function randomSchemaName(): string {
  return `sy_test_${randomBytes(6).toString('hex')}`;
}

/** Stores in fresh schemas; drop() removes every schema it made. */
export class TestSchemas {
  readonly names: string[] = [];

  /** `query` is appended to the URL, e.g. 'application_name=x' */
  async open(options: OpenStoreOptions = {}, query = ''): Promise<KyselyStore> {
    const schema = randomSchemaName();
    this.names.push(schema);
    const url = query
      ? `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}${query}`
      : TEST_POSTGRES_URL;
    return openStore(url, { ...options, schema });
  }

  async drop(): Promise<void> {
    const names = this.names.splice(0);
    if (names.length === 0) return;
    await withPgClient(async (client) => {
      for (const name of names) await client.query(`drop schema if exists "${name}" cascade`);
    });
  }
}
