import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDataError } from '../store/errors.ts';
import { openStore } from '../store/open-store.ts';
import { makeTrace, makeTraces } from './test-support/make-trace.ts';
import { ThreadedSqliteSink } from './threaded-sink.ts';
import { TraceWriter } from './trace-writer.ts';

test('inserts run on a worker thread and land in the same SQLite file, idempotently', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sy-sink-')), 'traces.db');
  const store = await openStore(`sqlite:${file}`);
  const sink = new ThreadedSqliteSink(file);
  try {
    const records = makeTraces(50);
    assert.equal(await sink.insertTraces(records), 50);
    assert.equal(await sink.insertTraces(records), 0, 'a replayed batch inserts nothing');
    assert.deepEqual(await store.getTrace(records[7].id), records[7]);
  } finally {
    await sink.close();
    await store.close();
  }
});

test('a refused record is still recognised as a data error across the thread boundary', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sy-sink-')), 'traces.db');
  const store = await openStore(`sqlite:${file}`);
  const sink = new ThreadedSqliteSink(file);
  try {
    const bad = makeTrace({ id: null as unknown as string });
    const error = await sink.insertTraces([bad]).catch((caught: unknown) => caught);
    assert.ok(error instanceof Error);
    assert.equal(isDataError(error), true);
    const journal = join(mkdtempSync(join(tmpdir(), 'sy-sink-')), 'journal.ndjson');
    const writer = new TraceWriter({ store: sink, journalPath: journal, flushIntervalMs: 60_000 });
    writer.record(makeTrace({ id: 'good-1' }));
    writer.record(bad);
    const result = await writer.close();
    assert.equal(result.stored, 1);
    assert.equal(result.rejected, 1);
    assert.ok(await store.getTrace('good-1'));
  } finally {
    await sink.close();
    await store.close();
  }
});
