// The store contract over PostgreSQL, each store in its own fresh schema. Skipped (with the reason) when
// PostgreSQL is unreachable, unless SWITCHYARD_REQUIRE_SERVICES=1, which makes that a failure.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { storeContract } from './contract.ts';
import { openStore } from './open-store.ts';
import {
  postgresUnavailable,
  randomSchemaName,
  servicesRequired,
  TEST_POSTGRES_URL,
  TestSchemas,
  withPgClient,
} from './test-support/postgres.ts';

const unavailable = await postgresUnavailable();
const schemas = new TestSchemas();
after(() => schemas.drop());

if (unavailable && servicesRequired()) {
  test('PostgreSQL store suite', () =>
    assert.fail(`PostgreSQL not reachable at ${TEST_POSTGRES_URL} and SWITCHYARD_REQUIRE_SERVICES=1`));
} else {
  describe('PostgreSQL store', { skip: unavailable }, () => {
    storeContract(() => schemas.open());

    test('two instances migrating one schema at once: both open, each migration applied once', async () => {
      const schema = randomSchemaName();
      schemas.names.push(schema);
      await withPgClient((c) => c.query(`create schema "${schema}"`));
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openStore(`${TEST_POSTGRES_URL}?schema=${schema}`)),
      );
      try {
        const rows = await withPgClient((c) => c.query(`select id from "${schema}".switchyard_migrations`));
        assert.deepEqual(
          rows.rows.map((row) => row.id),
          ['0001_init', '0002_partial_trace_indexes', '0003_drop_trace_model_index'],
        );
        for (const store of stores) await store.ping();
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
