import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { traceColumns, traceRowValues } from '../store/sqlite-trace-insert.ts';
import { startBoundedWorker } from './bounded-worker.ts';
import type { InsertMessage } from './threaded-sink-worker.ts';
import type { TraceRecord } from './trace-record.ts';
import type { TraceSink } from './trace-writer.ts';

/**
 * Rows go to the worker as JSON text: measured 4.6 µs a row to write and read back against 10 µs for a
 * structured clone of the same arrays (row values are only strings, finite numbers and nulls, which JSON
 * keeps exactly). A batch is split into pieces of at most this many characters (one row larger than
 * that is a piece of its own), and the event loop gets a turn before each piece is built. A 100-row
 * batch built in one go (200 rows took 400–500 µs to stringify) held the loop once every 100 requests,
 * in the response path of whichever request filled the batch. At 500 req/s on one pinned core, the
 * gateway's own time per request (request in to upstream call, plus upstream end to response sent) had
 * a p99 of 556 and 598 µs in two runs with 64 KB pieces built back to back, and 281 and 335 µs with
 * 16 KB pieces and a turn before each. The pieces go over together, in one message: each message wakes
 * the worker, a thread switch where it shares the core (0.12 instead of 0.22 switches per request at 64
 * connections, same CPU per request within noise).
 */
export const PIECE_CHARS = 16 * 1024;

/**
 * A turn of the event loop that takes longer than this means the loop is saturated: the rest of the
 * batch is then built at once. Building one piece per turn regardless fell behind at 64 connections with
 * no upstream delay (about 10,000 req/s on one core): peak RSS rose to 158–161 MiB, against 143–148 MiB
 * with whole batches built at once and 145–153 MiB with this rule (closed-loop runs of 8 s each).
 */
export const BUSY_TURN_MS = 1;

/**
 * How many nice levels the trace thread runs below the event loop (Linux only, where a nice value is
 * the thread's own). Writing traces is background work: where the thread shares a core with the event
 * loop, a batch woken at the loop's priority took the core from requests in flight (a 200-row insert
 * is ~2 ms). Five levels down it runs in the loop's idle time and still gets about a quarter of a
 * saturated core, several times what it needs at 6,000 req/s. On one pinned core at 500 req/s
 * (harness, 4 rounds per run), the gateway's added p99 was 1.52 ms five levels down against 3.49 ms
 * at the loop's level, and in another run 2.41 ms ten levels down against 5.71 ms: lower in 7 of the
 * 8 paired rounds. CPU per request at 64 connections moved less than the rounds' noise; ten levels down,
 * peak RSS rose by 7 MiB as batches waited longer.
 */
export const TRACE_THREAD_NICE_INCREMENT = 5;

const turnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Each piece is a JSON array of rows, at most `limit` characters long, brackets and commas included. */
export function* rowPieces(records: readonly TraceRecord[], limit = PIECE_CHARS): Generator<string, void> {
  let rows: string[] = [];
  let length = 2; // "[]"
  for (const record of records) {
    const row = JSON.stringify(traceRowValues(record));
    if (rows.length > 0 && length + 1 + row.length > limit) {
      yield `[${rows.join(',')}]`;
      rows = [];
      length = 2;
    }
    length += (rows.length > 0 ? 1 : 0) + row.length;
    rows.push(row);
  }
  yield `[${rows.join(',')}]`;
}

interface Reply {
  id: number;
  inserted?: number;
  error?: { message: string; code?: unknown; errcode?: unknown };
}

interface Waiting {
  resolve: (count: number) => void;
  reject: (error: Error) => void;
}

/**
 * A TraceSink whose inserts run on a worker thread with its own SQLite connection (WAL lets it write
 * while the main connection reads). Records are turned into row values here, so the worker only parses
 * and binds them; its errors keep their `code`/`errcode` so refused records are still told apart from an
 * unavailable database.
 */
export class ThreadedSqliteSink implements TraceSink {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Waiting>();
  #nextId = 1;
  #columns: string[] | undefined;
  #stopped: Error | undefined;
  #posting: Promise<void> = Promise.resolve();
  readonly #busyTurnMs: number;

  constructor(path: string, options: { busyTurnMs?: number } = {}) {
    this.#busyTurnMs = options.busyTurnMs ?? BUSY_TURN_MS;
    const script = import.meta.url.endsWith('.ts')
      ? './threaded-sink-worker.ts'
      : './threaded-sink-worker.js';
    this.#worker = startBoundedWorker(new URL(script, import.meta.url), {
      workerData: { path, niceIncrement: TRACE_THREAD_NICE_INCREMENT },
      // it holds one batch of rows at a time: a small heap keeps the thread's memory small. At 64
      // connections with no upstream delay its heap took 9.3 MiB with these limits, 11.3 with a 4 MiB
      // young generation, and 14.3 when the process's --max-semi-space-size=8 applied to it too
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#stop(error));
    this.#worker.on('exit', () => this.#stop(new Error('trace worker exited')));
  }

  insertTraces(records: readonly TraceRecord[]): Promise<number> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (records.length === 0) return Promise.resolve(0);
    const id = this.#nextId++;
    const stored = new Promise<number>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    // batches go over in the order they came
    this.#posting = this.#posting.then(() => this.#post(id, records));
    return stored;
  }

  /**
   * Builds the batch's pieces one at a time, each after a turn of the event loop, until a turn shows the
   * loop is saturated (then the rest at once), and hands them to the worker in one message.
   */
  async #post(id: number, records: readonly TraceRecord[]): Promise<void> {
    try {
      this.#columns ??= traceColumns(records[0]);
      const building = rowPieces(records);
      const pieces: string[] = [];
      let spread = true;
      while (true) {
        if (spread) spread = await this.#turnWasQuick();
        if (this.#stopped) return;
        const piece = building.next();
        if (piece.done) break;
        pieces.push(piece.value);
      }
      const message: InsertMessage = { id, columns: this.#columns, pieces };
      this.#worker.postMessage(message);
    } catch (error) {
      this.#settle({ id, error: { message: String((error as Error)?.message ?? error) } });
    }
  }

  async #turnWasQuick(): Promise<boolean> {
    const before = performance.now();
    await turnOfEventLoop();
    return performance.now() - before <= this.#busyTurnMs;
  }

  async close(): Promise<void> {
    await this.#posting;
    if (this.#stopped) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage('close');
    await exited;
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
    else waiting.resolve(reply.inserted ?? 0);
  }

  #stop(error: Error): void {
    this.#stopped ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
