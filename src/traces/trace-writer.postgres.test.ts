// TraceWriter against PostgreSQL while its connections are being killed: every record ends up stored once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  postgresUnavailable,
  randomSchemaName,
  servicesRequired,
  TEST_POSTGRES_URL,
  TestSchemas,
  withPgClient,
} from '../store/test-support/postgres.ts';
import { Journal } from './journal.ts';
import { makeTrace, makeTraces } from './test-support/make-trace.ts';
import { storedIds } from './test-support/switchable-store.ts';
import { TraceWriter } from './trace-writer.ts';

const unavailable = await postgresUnavailable();
const schemas = new TestSchemas();
const dir = mkdtempSync(join(tmpdir(), 'sy-writer-pg-'));
after(async () => {
  await schemas.drop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (unavailable && servicesRequired()) {
  test('TraceWriter on PostgreSQL', () =>
    assert.fail(`PostgreSQL not reachable at ${TEST_POSTGRES_URL} and SWITCHYARD_REQUIRE_SERVICES=1`));
} else {
  describe('TraceWriter on PostgreSQL', { skip: unavailable }, () => {
    test('connections killed while writing: all records present exactly once, journal empty', async (t) => {
      // only this pool's connections are killed (by application_name), so parallel suites are untouched
      const appName = randomSchemaName().replace('sy_test_', 'sy_kill_');
      const idleErrors: Error[] = [];
      const store = await schemas.open(
        { maxConnections: 4, onIdleError: (e) => idleErrors.push(e) },
        `application_name=${appName}`,
      );
      const writeErrors: string[] = [];
      const writer = new TraceWriter({
        store,
        batchSize: 25,
        flushIntervalMs: 5,
        journalPath: join(dir, 'kill.ndjson'),
        onError: (_e, context) => writeErrors.push(context),
      });
      let killing = true;
      let killed = 0;
      const killer = withPgClient(async (client) => {
        while (killing) {
          const result = await client.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
            [appName],
          );
          killed += result.rowCount ?? 0;
          await sleep(7);
        }
      });
      const records = makeTraces(3000, 'pg');
      for (let i = 0; i < records.length; i += 30) {
        for (const r of records.slice(i, i + 30)) writer.record(r);
        await sleep(2);
      }
      killing = false;
      await killer;
      const journal = new Journal(writer.journalPath);
      for (let i = 0; i < 20 && (writer.depth > 0 || (await journal.hasEntries())); i++) {
        await writer.flush();
        await sleep(20);
      }
      await writer.close();
      t.diagnostic(
        `connections killed: ${killed}; failed writes: ${writeErrors.length}; idle errors: ${idleErrors.length}`,
      );
      assert.ok(killed > 0, 'the killer terminated connections');
      assert.ok(writeErrors.length > 0, 'some writes failed and took the journal path');
      assert.equal(await journal.hasEntries(), false);
      const ids = await storedIds(store);
      assert.equal(ids.length, 3000);
      assert.deepEqual(
        ids,
        records.map((r) => r.id),
      );
      assert.deepEqual(await store.getTrace('pg-1234'), records[1234]);
      await store.close();
    });

    test('a record PostgreSQL refuses goes to the rejected file; the others are stored', async () => {
      const store = await schemas.open();
      const writer = new TraceWriter({ store, journalPath: join(dir, 'reject.ndjson'), onError: () => {} });
      const good = makeTraces(3, 'ok');
      writer.record(good[0]);
      writer.record(makeTrace({ id: 'too-big', httpStatus: 1e12 }));
      writer.record(good[1]);
      writer.record(good[2]);
      assert.deepEqual(await writer.close(), { stored: 3, replayed: 0, journaled: 0, rejected: 1 });
      assert.deepEqual(
        await storedIds(store),
        good.map((r) => r.id),
      );
      const rejected = await new Journal<{ error: string; record: { id: string } }>(
        join(dir, 'reject.rejected.ndjson'),
      ).read();
      assert.deepEqual(
        rejected.entries.map((e) => e.record.id),
        ['too-big'],
      );
      assert.match(rejected.entries[0].error, /out of range for type integer/);
      await store.close();
    });
  });
}
