import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { isDataError } from '../store/errors.ts';
import { openStore } from '../store/open-store.ts';
import { traceColumns, traceRowValues } from '../store/sqlite-trace-insert.ts';
import type { Store } from '../store/store.ts';
import { makeTrace, makeTraces } from './test-support/make-trace.ts';
import { PIECE_CHARS, rowPieces, ThreadedSqliteSink, TRACE_THREAD_NICE_INCREMENT } from './threaded-sink.ts';
import type { InsertMessage } from './threaded-sink-worker.ts';
import type { TraceRecord } from './trace-record.ts';
import { TraceWriter } from './trace-writer.ts';

/** Records wide enough that a batch of 100 goes over in several pieces. */
const wideTraces = (count: number, prefix: string): TraceRecord[] =>
  makeTraces(count, prefix).map((record) => ({
    ...record,
    errorMessage: `upstream said: ${'x'.repeat(2_000)}`,
  }));

/** A sink on a fresh SQLite file, and a store on the same file to read back what the sink inserted. */
async function withSink(
  run: (opened: { sink: ThreadedSqliteSink; store: Store }) => Promise<void>,
  options?: ConstructorParameters<typeof ThreadedSqliteSink>[1],
): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'sy-sink-')), 'traces.db');
  const store = await openStore(`sqlite:${file}`);
  const sink = new ThreadedSqliteSink(file, options);
  try {
    await run({ sink, store });
  } finally {
    await sink.close();
    await store.close();
  }
}

test('inserts run on a worker thread and land in the same SQLite file, idempotently', async () => {
  await withSink(async ({ sink, store }) => {
    const records = makeTraces(50);
    assert.equal(await sink.insertTraces(records), 50);
    assert.equal(await sink.insertTraces(records), 0, 'a replayed batch inserts nothing');
    assert.deepEqual(await store.getTrace(records[7].id), records[7]);
  });
});

test('every kind of value comes back exactly as it was recorded after crossing to the trace thread as JSON', async () => {
  await withSink(async ({ sink, store }) => {
    const costs = [0, 0.1 + 0.2, 1.5e-7, 1e-12, 123_456.789_012_345_67, 5e-324, 0.000_123_456_789_012_345_6];
    const records = costs.map((costUsd, i) =>
      makeTrace({
        id: `exact-${i}`,
        costUsd,
        createdAt: 1_764_979_200_123 + i,
        stream: i % 2 === 0,
        status: i % 2 === 0 ? 'ok' : 'error',
        errorMessage: i % 2 === 0 ? null : 'quote " backslash \\ tab \t newline \n é \u2028 😀 end',
        usage: {
          inputTokens: 2 ** 31 + i,
          outputTokens: i,
          reasoningTokens: i,
          ...(i % 3 === 0 && { estimated: true }),
        },
        ttftMs: i === 0 ? null : i * 7,
        warnings: ['a "warning"', 'ü'],
        route: { requested: 'chat', strategy: 'balanced', candidates: [{ provider: 'x', score: 0.1 + 0.7 }] },
        requestBody: '{"model":"m","messages":[{"role":"user","content":"\\"hi\\""}]}',
      }),
    );
    assert.equal(await sink.insertTraces(records), records.length);
    for (const record of records) assert.deepEqual(await store.getTrace(record.id), record);
  });
});

test('a refused record is still recognised as a data error across the thread boundary', async () => {
  await withSink(async ({ sink, store }) => {
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
  });
});

test('row pieces fill up to their limit exactly, brackets and commas counted, and keep every row in order', () => {
  const records = makeTraces(40, 'sizes').map((record, i) => ({
    ...record,
    errorMessage: 'y'.repeat((i * 37) % 300),
  }));
  const rows = records.map((record) => JSON.stringify(traceRowValues(record)));
  const widest = Math.max(...rows.map((row) => row.length));
  for (let limit = widest + 2; limit < widest * 6; limit += 7) {
    const pieces = [...rowPieces(records, limit)];
    assert.deepEqual(
      pieces.flatMap((piece) => (JSON.parse(piece) as unknown[]).map((row) => JSON.stringify(row))),
      rows,
    );
    let next = 0;
    for (const piece of pieces) {
      assert.ok(piece.length <= limit, `a piece of ${piece.length} characters over the limit of ${limit}`);
      next += (JSON.parse(piece) as unknown[]).length;
      // full: the next row would not have fitted
      if (next < rows.length)
        assert.ok(piece.length + 1 + rows[next].length > limit, `piece not full at ${limit}`);
    }
  }
  assert.equal([...rowPieces(records, 10)].length, 40, 'a row over the limit is a piece of its own');
});

test('a batch of several pieces is inserted whole, or not at all', async () => {
  await withSink(async ({ sink, store }) => {
    const records = wideTraces(100, 'big');
    const pieces = [...rowPieces(records)];
    assert.ok(pieces.length >= 3, `expected several pieces, got ${pieces.length}`);
    for (const piece of pieces) assert.ok(piece.length <= PIECE_CHARS);
    assert.deepEqual(
      pieces.flatMap((piece) => JSON.parse(piece)),
      JSON.parse(JSON.stringify(records.map(traceRowValues))),
    );
    assert.equal(await sink.insertTraces(records), 100);
    assert.deepEqual(await store.getTrace(records[99].id), records[99]);

    const doomed = wideTraces(100, 'doomed');
    doomed[99] = { ...doomed[99], id: null as unknown as string };
    const error = await sink.insertTraces(doomed).catch((caught: unknown) => caught);
    assert.equal(isDataError(error), true);
    assert.equal(await store.getTrace(doomed[0].id), undefined, 'earlier pieces were not kept');
    assert.equal(await sink.insertTraces(wideTraces(3, 'after')), 3, 'the next batch starts clean');
  });
});

test('a batch of several pieces reaches the trace thread in one message', async () => {
  // every message wakes the thread, and on a core it shares with the event loop each wake is a switch
  const posted: InsertMessage[] = [];
  const postMessage = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown) {
    if (typeof message === 'object') posted.push(message as InsertMessage);
    return postMessage.call(this, message);
  };
  try {
    await withSink(async ({ sink }) => {
      const records = wideTraces(100, 'one-message');
      const pieces = [...rowPieces(records)];
      assert.ok(pieces.length >= 3, `expected several pieces, got ${pieces.length}`);
      assert.equal(await sink.insertTraces(records), 100);
      assert.equal(posted.length, 1);
      assert.deepEqual(posted[0].pieces, pieces);
    });
  } finally {
    Worker.prototype.postMessage = postMessage;
  }
});

/** Records that note which of them have been turned into rows (each row reads its record's id). */
function watchedRecords(plain: TraceRecord[]): { records: TraceRecord[]; read: Set<number> } {
  const read = new Set<number>();
  const records = plain.map((record, i) => {
    const watched = { ...record };
    Object.defineProperty(watched, 'id', {
      enumerable: true,
      get: () => {
        read.add(i);
        return record.id;
      },
    });
    return watched;
  });
  return { records, read };
}

/** How many records had been turned into rows at each turn of the event loop until `done`. */
function readAtEachTurn(read: Set<number>, done: () => boolean): Promise<number[]> {
  const counts: number[] = [];
  return new Promise((resolve) => {
    const sample = () => {
      counts.push(read.size);
      if (done()) resolve(counts);
      else setImmediate(sample);
    };
    setImmediate(sample);
  });
}

const perTurn = (counts: number[]) => counts.map((count, i) => count - (counts[i - 1] ?? 0));

test('a batch is built a piece at a time, with a turn of the event loop before each piece', async () => {
  // a turn of this test's loop can be slow on a busy machine; here only the spreading is under test
  await withSink(
    async ({ sink, store }) => {
      const plain = wideTraces(100, 'turns');
      const pieces = [...rowPieces(plain)];
      assert.ok(pieces.length >= 5, `expected several pieces, got ${pieces.length}`);
      const rowsPerPiece = Math.max(...pieces.map((piece) => (JSON.parse(piece) as unknown[]).length));
      const { records, read } = watchedRecords(plain);

      const stored = sink.insertTraces(records);
      assert.equal(read.size, 0, 'nothing is built before insertTraces returns');
      const counts = await readAtEachTurn(read, () => read.size === records.length);
      assert.equal(await stored, 100);
      assert.ok(
        Math.max(...perTurn(counts)) <= rowsPerPiece,
        `rows built in one turn: ${perTurn(counts).join(', ')} (a piece holds ${rowsPerPiece})`,
      );
      assert.deepEqual(await store.getTrace(plain[99].id), plain[99]);
    },
    { busyTurnMs: 60_000 },
  );
});

test('once a turn of the event loop shows it saturated, the rest of the batch is built at once', async () => {
  const busyTurnMs = 20;
  await withSink(
    async ({ sink, store }) => {
      const plain = wideTraces(100, 'busy');
      const { records, read } = watchedRecords(plain);
      const stored = sink.insertTraces(records);
      // the turn after next is a slow one, as under a flood of requests
      setImmediate(() =>
        setImmediate(() => {
          const until = performance.now() + busyTurnMs * 3;
          while (performance.now() < until);
        }),
      );
      const counts = await readAtEachTurn(read, () => read.size === records.length);
      assert.ok(counts.length <= 4, `rows built per turn: ${perTurn(counts).join(', ')}`);
      assert.equal(await stored, 100);
      assert.deepEqual(await store.getTrace(plain[99].id), plain[99]);
    },
    { busyTurnMs },
  );
});

test('batches handed over together are inserted whole, each with its own count, and close waits for them', async () => {
  await withSink(async ({ sink, store }) => {
    const first = wideTraces(100, 'first');
    const second = wideTraces(60, 'second');
    const third = wideTraces(40, 'third');
    const counts = Promise.all([
      sink.insertTraces(first),
      sink.insertTraces(second),
      sink.insertTraces(third),
    ]);
    await sink.close();
    assert.deepEqual(await counts, [100, 60, 40]);
    for (const record of [first[0], first[99], second[0], second[59], third[39]])
      assert.deepEqual(await store.getTrace(record.id), record);
  });
});

test('a batch that cannot be turned into rows is refused, and the next batch still goes in', async () => {
  await withSink(async ({ sink, store }) => {
    const broken = wideTraces(30, 'unbuildable');
    Object.defineProperty(broken[20], 'id', {
      get: () => {
        throw new Error('no id');
      },
    });
    await assert.rejects(sink.insertTraces(broken), /no id/);
    const next = wideTraces(30, 'next');
    assert.equal(await sink.insertTraces(next), 30);
    assert.deepEqual(await store.getTrace(next[29].id), next[29]);
    assert.equal(await store.getTrace(broken[0].id), undefined, 'no piece of the refused batch was kept');
  });
});

test('a piece the trace thread cannot parse fails its whole batch, and the next batch is inserted', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sy-sink-')), 'traces.db');
  const store = await openStore(`sqlite:${file}`);
  // the sink only ever sends JSON.stringify output: talk to the thread directly to send a broken piece
  const worker = new Worker(new URL('./threaded-sink-worker.ts', import.meta.url), {
    workerData: { path: file },
  });
  const replies: { id: number; inserted?: number; error?: { message: string } }[] = [];
  worker.on('message', (reply) => replies.push(reply));
  const reply = async (count: number) => {
    const deadline = Date.now() + 5_000;
    while (replies.length < count) {
      if (Date.now() > deadline) throw new Error(`no reply ${count} from the trace thread`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return replies[count - 1];
  };
  try {
    const [first, second] = makeTraces(2, 'broken');
    const columns = traceColumns(first);
    const rows = (records: TraceRecord[]) => JSON.stringify(records.map(traceRowValues));
    const send = (message: InsertMessage) => worker.postMessage(message);
    send({ id: 1, columns, pieces: [rows([first]), rows([second]).slice(0, -5)] });
    const failed = await reply(1);
    assert.equal(failed.id, 1);
    assert.equal(failed.inserted, undefined);
    assert.match(failed.error?.message ?? '', /JSON/);
    assert.equal(await store.getTrace(first.id), undefined, 'the parsed first piece was not inserted either');

    const [next] = makeTraces(1, 'next');
    send({ id: 2, columns, pieces: [rows([next])] });
    assert.deepEqual(await reply(2), { id: 2, inserted: 1 });
    assert.deepEqual(await store.getTrace(next.id), next);
  } finally {
    worker.postMessage('close');
    await new Promise((resolve) => worker.once('exit', resolve));
    await store.close();
  }
});

/** Nice value of one of this process's threads: field 19 of its stat line, the 17th after the command name. */
const niceOfThread = (tid: string | number): number =>
  Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

test('the trace thread runs five nice levels below the event loop, whose own priority is untouched', {
  skip: process.platform !== 'linux' && 'a nice value is per thread only on Linux',
}, async () => {
  const loopNice = niceOfThread(process.pid);
  const threadsBefore = new Set(readdirSync('/proc/self/task'));
  await withSink(async ({ sink }) => {
    assert.equal(await sink.insertTraces(makeTraces(1, 'nice')), 1);
    const niceByThread = readdirSync('/proc/self/task')
      .filter((tid) => !threadsBefore.has(tid))
      .map(niceOfThread);
    assert.deepEqual(
      niceByThread.filter((nice) => nice !== loopNice),
      [Math.min(19, loopNice + TRACE_THREAD_NICE_INCREMENT)],
      'exactly one new thread, the trace thread, runs lower',
    );
    assert.equal(niceOfThread(process.pid), loopNice);
  });
});
