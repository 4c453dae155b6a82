// Store URL parsing and the SQLite settings openStore applies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openStore, parseStoreUrl } from './open-store.ts';

test('parseStoreUrl', () => {
  assert.deepEqual(parseStoreUrl(), { dialect: 'sqlite', path: './switchyard.db' });
  assert.deepEqual(parseStoreUrl(''), { dialect: 'sqlite', path: './switchyard.db' });
  assert.deepEqual(parseStoreUrl('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' });
  assert.deepEqual(parseStoreUrl(':memory:'), { dialect: 'sqlite', path: ':memory:' });
  assert.deepEqual(parseStoreUrl('sqlite:data/sy.db'), { dialect: 'sqlite', path: 'data/sy.db' });
  assert.deepEqual(parseStoreUrl('sqlite:///var/lib/sy.db'), { dialect: 'sqlite', path: '/var/lib/sy.db' });
  assert.deepEqual(parseStoreUrl('sqlite://./sy.db'), { dialect: 'sqlite', path: './sy.db' });
  assert.deepEqual(parseStoreUrl('/tmp/x.db'), { dialect: 'sqlite', path: '/tmp/x.db' });
  assert.deepEqual(parseStoreUrl('postgres://u:p@db:5432/app'), {
    dialect: 'postgres',
    connectionString: 'postgres://u:p@db:5432/app',
  });
  assert.deepEqual(parseStoreUrl('postgresql://db/app?schema=gw&sslmode=require'), {
    dialect: 'postgres',
    connectionString: 'postgresql://db/app?sslmode=require',
    schema: 'gw',
  });
  assert.throws(() => parseStoreUrl('postgres://db/app?schema=x;drop'), /invalid PostgreSQL schema name/);
  assert.throws(() => parseStoreUrl('mysql://db/app'), /unsupported store URL scheme: mysql/);
});

test('a SQLite file store runs in WAL mode with a busy timeout and foreign keys on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-open-'));
  try {
    const store = await openStore(join(dir, 'nested', 'sy.db'), { busyTimeoutMs: 1234 });
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
    assert.deepEqual(
      [await pragma('journal_mode'), await pragma('busy_timeout'), await pragma('foreign_keys')],
      ['wal', 1234, 1],
    );
    await store.close();
    const reopened = await openStore(`sqlite:${join(dir, 'nested', 'sy.db')}`);
    assert.deepEqual(await reopened.migrate(), []);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore with migrate:false leaves migrations to migrate()', async () => {
  const store = await openStore('sqlite::memory:', { migrate: false });
  await assert.rejects(store.getTrace('x'), /no such table: traces/);
  assert.deepEqual(await store.migrate(), [
    '0001_init',
    '0002_partial_trace_indexes',
    '0003_drop_trace_model_index',
  ]);
  assert.deepEqual(await store.migrate(), []);
  assert.equal(await store.getTrace('x'), undefined);
  await store.close();
});

test('traces carry no index on resolved_model: the model filter, an OR with requested_model, walks created_at', async () => {
  const store = await openStore('sqlite::memory:');
  try {
    const { rows: indexes } = await sql<{ name: string }>`pragma index_list(traces)`.execute(store.db);
    assert.ok(indexes.some((index) => index.name === 'traces_created_at'));
    assert.ok(!indexes.some((index) => index.name === 'traces_model_created_at'));
    const { rows: plan } = await sql<{ detail: string }>`explain query plan
      select id from traces where (resolved_model = 'm' or requested_model = 'm')
      order by created_at desc, id desc limit 51`.execute(store.db);
    assert.deepEqual(
      plan.map((row) => row.detail),
      ['SCAN traces USING INDEX traces_created_at'],
    );
  } finally {
    await store.close();
  }
});

test('lookups by key, project, group and expiry use the partial indexes (rows without a value are not indexed)', async () => {
  const store = await openStore('sqlite::memory:');
  try {
    const plans: Record<string, string> = {
      traces_key_created_at: `select id from traces where key_id = 'k' order by created_at`,
      traces_project_created_at: `select id from traces where project_id = 'p' order by created_at`,
      traces_group: `select id from traces where trace_group_id = 'g'`,
      traces_payload_expires_at: 'select id from traces where payload_expires_at < 5',
      traces_record_expires_at: 'select id from traces where record_expires_at < 5',
    };
    for (const [index, query] of Object.entries(plans)) {
      const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(store.db);
      assert.ok(
        rows.some((row) => row.detail.includes(index)),
        `${query} → ${rows.map((row) => row.detail).join(' | ')}`,
      );
    }
  } finally {
    await store.close();
  }
});
