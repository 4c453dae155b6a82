// TraceWriter over a real SQLite store: batching, journal while the database is down, replay, rejects.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, test } from 'node:test';
import type { KyselyStore } from '../store/kysely-store.ts';
import { openStore } from '../store/open-store.ts';
import { Journal } from './journal.ts';
import { makeTrace, makeTraces } from './test-support/make-trace.ts';
import { SwitchableStore, storedIds } from './test-support/switchable-store.ts';
import type { TraceRecord } from './trace-record.ts';
import { TraceWriter, type TraceWriterOptions } from './trace-writer.ts';

const root = mkdtempSync(join(tmpdir(), 'sy-writer-'));
after(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let store: KyselyStore;
let errors: string[];
let writers: TraceWriter[];

beforeEach(async () => {
  dir = mkdtempSync(join(root, 't-'));
  store = await openStore(`sqlite:${join(dir, 'sy.db')}`);
  errors = [];
  writers = [];
});

afterEach(async () => {
  for (const w of writers) await w.close();
  await store.close();
});

function writer(options: Partial<TraceWriterOptions> & Pick<TraceWriterOptions, 'store'>): TraceWriter {
  const w = new TraceWriter({
    flushIntervalMs: 3_600_000,
    journalPath: join(dir, 'journal.ndjson'),
    onError: (_error, context) => errors.push(context),
    ...options,
  });
  writers.push(w);
  return w;
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

const ids = (records: TraceRecord[]) => records.map((r) => r.id);

test('a full batch triggers a flush; records are written in batches of batchSize', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 3 });
  await w.flush(); // the start-up journal check
  const records = makeTraces(7);
  w.record(records[0]);
  w.record(records[1]);
  await waitFor(() => sink.batches.length > 0, 100);
  assert.equal(sink.batches.length, 0); // two records: no flush before the (hour-long) interval
  w.record(records[2]);
  await waitFor(() => sink.batches.length > 0, 2000); // the third fills a batch
  assert.deepEqual(sink.batches, [ids(records.slice(0, 3))]);
  assert.equal(w.depth, 0);
  for (const r of records.slice(3)) w.record(r);
  assert.equal(w.depth, 4);
  await w.flush();
  assert.deepEqual(sink.batches, [ids(records.slice(0, 3)), ids(records.slice(3, 6)), ids(records.slice(6))]);
  assert.equal(w.depth, 0);
  assert.deepEqual(await storedIds(store), ids(records));
  assert.deepEqual(await store.getTrace(records[4].id), records[4]);
});

test('rows that arrive while a full batch is written wait for the next full batch, not a small one of their own', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 3 });
  await w.flush(); // the start-up journal check
  const records = makeTraces(7);
  let release!: () => void;
  sink.gate = new Promise((resolve) => (release = resolve));
  for (const r of records.slice(0, 3)) w.record(r);
  await waitFor(() => sink.batches.length > 0, 2000);
  w.record(records[3]);
  w.record(records[4]); // both arrive while the first batch is being written
  release();
  sink.gate = undefined;
  await waitFor(() => w.depth < 2, 100);
  assert.deepEqual(sink.batches, [ids(records.slice(0, 3))]);
  assert.equal(w.depth, 2);
  w.record(records[5]); // fills the next batch
  await waitFor(() => sink.batches.length > 1, 2000);
  assert.deepEqual(sink.batches, [ids(records.slice(0, 3)), ids(records.slice(3, 6))]);
  w.record(records[6]);
  await w.flush(); // an explicit flush still writes a partial batch
  assert.deepEqual(sink.batches.at(-1), ids(records.slice(6)));
  assert.deepEqual(await storedIds(store), ids(records).sort());
});

test('a flush writes what was queued when it started; rows arriving during it wait for a full batch', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 3 });
  await w.flush();
  const records = makeTraces(4);
  let release!: () => void;
  sink.gate = new Promise((resolve) => (release = resolve));
  w.record(records[0]);
  w.record(records[1]);
  const flushed = w.flush();
  await waitFor(() => sink.batches.length > 0, 2000);
  w.record(records[2]);
  w.record(records[3]); // both arrive while the flush writes
  release();
  sink.gate = undefined;
  await flushed;
  assert.deepEqual(sink.batches, [ids(records.slice(0, 2))]);
  assert.equal(w.depth, 2);
  await w.flush();
  assert.deepEqual(sink.batches, [ids(records.slice(0, 2)), ids(records.slice(2))]);
});

test('a flush asked for while a full-batch run waits to start writes the partial rest too', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 3 });
  await w.flush();
  await new Promise((resolve) => setImmediate(resolve)); // that run has finished: the writer is idle
  const records = makeTraces(4);
  for (const r of records) w.record(r); // the third schedules a run of full batches; the fourth waits
  await w.flush();
  assert.equal(w.depth, 0);
  assert.deepEqual(sink.batches, [ids(records.slice(0, 3)), ids(records.slice(3))]);
});

test('below batchSize, the interval timer flushes', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 100, flushIntervalMs: 20 });
  const records = makeTraces(2);
  for (const r of records) w.record(r);
  assert.equal(w.depth, 2);
  for (let i = 0; i < 100 && w.depth > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await w.flush();
  assert.equal(w.depth, 0);
  assert.deepEqual(sink.batches, [ids(records)]);
});

test('while the store fails, batches go to the journal; on recovery the journal is replayed and emptied: every record exactly once', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 4 });
  const journal = new Journal<TraceRecord>(w.journalPath);
  await w.flush();
  sink.failing = true;
  const first = makeTraces(5, 'a');
  for (const r of first) w.record(r);
  assert.deepEqual(await w.flush(), { stored: 0, replayed: 0, journaled: 5, rejected: 0 });
  assert.deepEqual((await journal.read()).entries, first);
  const second = makeTraces(3, 'b');
  for (const r of second) w.record(r);
  assert.deepEqual(await w.flush(), { stored: 0, replayed: 0, journaled: 3, rejected: 0 });
  assert.deepEqual((await journal.read()).entries, [...first, ...second]);
  assert.deepEqual(await storedIds(store), []);
  assert.ok(errors.includes('journal replay failed; will retry'));

  sink.failing = false;
  const third = makeTraces(2, 'c');
  for (const r of third) w.record(r);
  assert.deepEqual(await w.flush(), { stored: 10, replayed: 8, journaled: 0, rejected: 0 });
  assert.equal(readFileSync(w.journalPath, 'utf8'), '');
  assert.deepEqual(await storedIds(store), ids([...first, ...second, ...third]).sort());
  assert.deepEqual(await store.getTrace('a-0002'), first[2]);
});

test('closing the real SQLite database mid-run: records are journaled, and a new process replays them at start', async () => {
  const w = writer({ store, batchSize: 10 });
  const before = makeTraces(4, 'pre');
  for (const r of before) w.record(r);
  await w.flush();
  await store.close();
  const during = makeTraces(6, 'down');
  for (const r of during) w.record(r);
  assert.deepEqual(await w.flush(), { stored: 0, replayed: 0, journaled: 6, rejected: 0 });
  await w.close();

  store = await openStore(`sqlite:${join(dir, 'sy.db')}`);
  const restarted = writer({ store, batchSize: 10 });
  const result = await restarted.flush();
  assert.deepEqual(result, { stored: 6, replayed: 6, journaled: 0, rejected: 0 }); // the start-up replay
  assert.deepEqual(await storedIds(store), ids([...during, ...before]).sort());
  assert.equal(await new Journal(restarted.journalPath).hasEntries(), false);
});

test('a crash between insert and truncate: replaying records already stored never duplicates them', async () => {
  const records = makeTraces(5, 'r');
  await store.insertTraces(records.slice(0, 3));
  new Journal<TraceRecord>(join(dir, 'journal.ndjson')).appendSync(records);
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 50 });
  await w.flush();
  assert.deepEqual(sink.batches, [ids(records)]);
  assert.deepEqual(await storedIds(store), ids(records));
  assert.equal(readFileSync(w.journalPath, 'utf8'), '');
});

test('a record the database refuses is set aside in the rejected file; the rest of the batch is stored', async () => {
  const w = writer({ store, batchSize: 10 });
  const good = makeTraces(2, 'g');
  const bad = makeTrace({ id: null as unknown as string });
  w.record(good[0]);
  w.record(bad);
  w.record(good[1]);
  assert.deepEqual(await w.flush(), { stored: 2, replayed: 0, journaled: 0, rejected: 1 });
  assert.deepEqual(await storedIds(store), ids(good));
  const rejectedPath = join(dir, 'journal.rejected.ndjson');
  const [line] = readFileSync(rejectedPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(line.record, bad);
  assert.match(line.error, /NOT NULL constraint failed: traces\.id/);
  assert.ok(errors.some((e) => e.includes('refused by the database')));
});

test('when the journal cannot be written either, records stay in memory up to maxQueue, then the oldest drop', async () => {
  const sink = new SwitchableStore(store);
  const w = writer({ store: sink, batchSize: 2, maxQueue: 3, journalPath: '/dev/null/journal.ndjson' });
  sink.failing = true;
  const records = makeTraces(5, 'm');
  for (const r of records) w.record(r);
  await w.flush();
  assert.equal(w.depth, 3);
  assert.equal(w.dropped, 2);
  assert.ok(errors.includes('journal write failed; keeping records in memory'));
  sink.failing = false;
  await w.flush();
  assert.deepEqual(await storedIds(store), ids(records.slice(2)));
});

test('close flushes everything; records after close go straight to the journal', async () => {
  const w = writer({ store, batchSize: 100 });
  const records = makeTraces(3, 'z');
  for (const r of records) w.record(r);
  assert.deepEqual(await w.close(), { stored: 3, replayed: 0, journaled: 0, rejected: 0 });
  assert.deepEqual(await storedIds(store), ids(records));
  const late = makeTrace({ id: 'late' });
  w.record(late);
  assert.deepEqual((await new Journal(w.journalPath).read()).entries, [late]);
  assert.equal(existsSync(join(dir, 'journal.rejected.ndjson')), false);
});
