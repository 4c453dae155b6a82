import { Worker } from 'node:worker_threads';
import type { TraceRecord } from './trace-record.ts';
import type { TraceSink } from './trace-writer.ts';

interface Reply {
  id?: number;
  ready?: boolean;
  inserted?: number;
  error?: { message: string; code?: unknown; errcode?: unknown };
}

/**
 * A TraceSink whose inserts run on a worker thread with its own SQLite connection (WAL lets it write
 * while the main connection reads). Errors keep their `code`/`errcode` so refused records are still
 * told apart from an unavailable database.
 */
export class ThreadedSqliteSink implements TraceSink {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (count: number) => void; reject: (error: Error) => void }>();
  readonly #ready: Promise<void>;
  #nextId = 1;

  constructor(url: string) {
    const script = import.meta.url.endsWith('.ts')
      ? './threaded-sink-worker.ts'
      : './threaded-sink-worker.js';
    this.#worker = new Worker(new URL(script, import.meta.url), { workerData: { url } });
    this.#worker.unref();
    let markReady: () => void = () => undefined;
    this.#ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.#worker.on('message', (reply: Reply) => {
      if (reply.ready) return markReady();
      const waiting = this.#pending.get(reply.id!);
      if (!waiting) return;
      this.#pending.delete(reply.id!);
      if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
      else waiting.resolve(reply.inserted ?? 0);
    });
    this.#worker.on('error', (error) => this.#failAll(error));
    this.#worker.on('exit', () => this.#failAll(new Error('trace worker exited')));
  }

  async insertTraces(records: readonly TraceRecord[]): Promise<number> {
    await this.#ready;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, records });
    });
  }

  async close(): Promise<void> {
    await this.#ready;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage('close');
    await exited;
  }

  #failAll(error: Error): void {
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
