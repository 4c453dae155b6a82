import { Worker } from 'node:worker_threads';
import { traceColumns, traceRowValues } from '../store/sqlite-trace-insert.ts';
import type { InsertMessage } from './threaded-sink-worker.ts';
import type { TraceRecord } from './trace-record.ts';
import type { TraceSink } from './trace-writer.ts';

/**
 * Rows go to the worker as JSON text: measured 4.6 µs a row to write and read back against 10 µs for a
 * structured clone of the same arrays (row values are only strings, finite numbers and nulls, which JSON
 * keeps exactly). A batch is split into pieces of at most this many characters (one row larger than
 * that is a piece of its own): from about 128 KB up, a message costs far more on the event loop. Measured
 * on one pinned core, 200 rows as one ~200 KB piece took 400–500 µs to stringify and 210–280 µs to post;
 * as two ~100 KB pieces, about 250 µs and 10 µs.
 */
export const PIECE_CHARS = 64 * 1024;

/** Each piece is a JSON array of rows, at most `limit` characters long, brackets and commas included. */
export function rowPieces(records: readonly TraceRecord[], limit = PIECE_CHARS): string[] {
  const pieces: string[] = [];
  let rows: string[] = [];
  let length = 2; // "[]"
  for (const record of records) {
    const row = JSON.stringify(traceRowValues(record));
    if (rows.length > 0 && length + 1 + row.length > limit) {
      pieces.push(`[${rows.join(',')}]`);
      rows = [];
      length = 2;
    }
    length += (rows.length > 0 ? 1 : 0) + row.length;
    rows.push(row);
  }
  pieces.push(`[${rows.join(',')}]`);
  return pieces;
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

  constructor(path: string) {
    const script = import.meta.url.endsWith('.ts')
      ? './threaded-sink-worker.ts'
      : './threaded-sink-worker.js';
    this.#worker = new Worker(new URL(script, import.meta.url), {
      workerData: { path },
      // it holds one batch of rows at a time: a small heap keeps the thread's memory small
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
      else waiting.resolve(reply.inserted ?? 0);
    });
    this.#worker.on('error', (error) => this.#stop(error));
    this.#worker.on('exit', () => this.#stop(new Error('trace worker exited')));
  }

  insertTraces(records: readonly TraceRecord[]): Promise<number> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (records.length === 0) return Promise.resolve(0);
    this.#columns ??= traceColumns(records[0]);
    const columns = this.#columns;
    const id = this.#nextId++;
    const pieces = rowPieces(records);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      for (let i = 0; i < pieces.length; i++) {
        const message: InsertMessage = { id, columns, rows: pieces[i], more: i < pieces.length - 1 };
        this.#worker.postMessage(message);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage('close');
    await exited;
  }

  #stop(error: Error): void {
    this.#stopped ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
