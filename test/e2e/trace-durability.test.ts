// Durability through the gateway: requests keep coming while PostgreSQL connections are being terminated;
// every request's trace ends up stored exactly once (failed writes go to the journal and are replayed).
// Skipped (with the reason) when PostgreSQL is unreachable, unless SWITCHYARD_REQUIRE_SERVICES=1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type pg from 'pg';
import pino from 'pino';
import { startGateway } from '../../src/server/lifecycle.ts';
import { createRuntime } from '../../src/server/runtime.ts';
import {
  postgresUnavailable,
  randomSchemaName,
  servicesRequired,
  TEST_POSTGRES_URL,
  TestSchemas,
  withPgClient,
} from '../../src/store/test-support/postgres.ts';
import { Journal } from '../../src/traces/journal.ts';
import { sleep, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion } from '../fakes/openai.ts';

const N = 240;
const CONCURRENCY = 8;

const unavailable = await postgresUnavailable();
const schemas = new TestSchemas();
const dir = mkdtempSync(join(tmpdir(), 'sy-durability-'));
after(async () => {
  await schemas.drop();
  rmSync(dir, { recursive: true, force: true });
});

if (unavailable && servicesRequired()) {
  test('trace durability on PostgreSQL', () =>
    assert.fail(`PostgreSQL not reachable at ${TEST_POSTGRES_URL} and SWITCHYARD_REQUIRE_SERVICES=1`));
} else {
  const skip = unavailable
    ? `PostgreSQL not reachable at ${TEST_POSTGRES_URL}: skipping the trace durability test (SWITCHYARD_REQUIRE_SERVICES=1 makes this a failure)`
    : false;
  describe('trace durability through the gateway on PostgreSQL', { skip }, () => {
    test(`${N} requests while the store's connections are killed: ${N} traces, each once`, async (t) => {
      const schema = randomSchemaName();
      schemas.names.push(schema);
      // only this gateway's pool is killed (by application_name), so parallel suites are untouched
      const appName = schema.replace('sy_test_', 'sy_gwkill_');
      const separator = TEST_POSTGRES_URL.includes('?') ? '&' : '?';
      const databaseUrl = `${TEST_POSTGRES_URL}${separator}schema=${schema}&application_name=${appName}`;
      const upstream = await startFakeServer(openAICompletion({ usage: { prompt: 10, completion: 2 } }));
      const warnings: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
      const runtime = createRuntime({
        env: {
          SWITCHYARD_DATABASE_URL: databaseUrl,
          SWITCHYARD_TRACE_JOURNAL: join(dir, 'journal.ndjson'),
          OPENAI_API_KEY: 'sk-o',
          OPENAI_BASE_URL: `${upstream.url}/v1`,
          HOST: '127.0.0.1',
          PORT: '0',
        },
        config: {},
        logger,
      });
      const gateway = await startGateway(runtime);
      const writer = runtime.traceWriter!;
      let killing = true;
      let killed = 0;
      t.after(async () => {
        killing = false;
        await gateway.shutdown();
        await upstream.close();
      });
      const terminate = async (client: pg.Client) => {
        const result = await client.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
          [appName],
        );
        killed += result.rowCount ?? 0;
      };
      // Each round holds the traces table locked for a moment, so a trace insert is in flight and waiting,
      // then terminates the store's connections: that insert fails mid-query. Plain kills in between.
      const killer = withPgClient(async (client) => {
        while (killing) {
          await client.query('BEGIN');
          await client.query(`LOCK TABLE "${schema}".traces IN ACCESS EXCLUSIVE MODE`);
          await sleep(25);
          await terminate(client);
          await client.query('COMMIT');
          for (let i = 0; i < 5 && killing; i++) {
            await terminate(client);
            await sleep(2);
          }
        }
      });
      // flush often, so writes keep meeting freshly killed connections
      const flusher = (async () => {
        while (killing) {
          await writer.flush();
          await sleep(1);
        }
      })();
      const ids = Array.from({ length: N }, (_, i) => `dur-${String(i).padStart(4, '0')}`);
      let next = 0;
      const statuses: number[] = [];
      const client = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const response = await fetch(`${gateway.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': id },
            body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: id }] }),
          });
          await response.arrayBuffer();
          statuses.push(response.status);
          await sleep(1);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, client));
      killing = false;
      await Promise.all([killer, flusher]);
      const journal = new Journal(writer.journalPath);
      for (let i = 0; i < 50 && (writer.depth > 0 || (await journal.hasEntries())); i++) {
        await writer.flush();
        await sleep(20);
      }
      const journaled = warnings.filter((line) => line.includes('"msg":"trace writer"')).length;
      t.diagnostic(`connections killed: ${killed}; writes that took the journal path: ${journaled}`);
      assert.deepEqual(
        statuses.filter((status) => status !== 200),
        [],
      );
      assert.ok(killed > 0, 'the killer terminated connections');
      assert.ok(journaled > 0, 'some trace writes failed and were journaled');
      assert.equal(await journal.hasEntries(), false, 'the journal was replayed and emptied');
      assert.equal(writer.depth, 0);
      const stored = await withPgClient((c) =>
        c.query<{ id: string; n: number }>(
          `SELECT id, count(*)::int AS n FROM "${schema}".traces GROUP BY id ORDER BY id`,
        ),
      );
      assert.deepEqual(
        stored.rows.map((row) => row.id),
        ids,
      );
      assert.ok(stored.rows.every((row) => row.n === 1));
      const trace = await runtime.store!.getTrace('dur-0123');
      assert.deepEqual(
        [trace?.status, trace?.provider, trace?.usage.inputTokens, trace?.usage.outputTokens],
        ['ok', 'openai', 10, 2],
      );
    });
  });
}
