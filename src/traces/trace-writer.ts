// Batches traces off the hot path. record() only pushes to an in-memory queue; a timer (or a full batch)
// flushes to the store. When the store cannot take a batch, it goes to a local journal (fsync'd JSON lines)
// and is replayed before every later flush, so nothing is lost while the database is briefly down.
// Inserts are idempotent by id: replaying records that already made it in never duplicates them.
import { isDataError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_JOURNAL_PATH, Journal } from './journal.ts';
import type { TraceRecord } from './trace-record.ts';

export type TraceSink = Pick<Store, 'insertTraces'>;

export interface TraceWriterOptions {
  store: TraceSink;
  /** records per insert; a full batch triggers a flush. Default 200. */
  batchSize?: number;
  /** default 1000 ms */
  flushIntervalMs?: number;
  /** default ./.switchyard/trace-journal.ndjson; records the database refuses go to <name>.rejected.ndjson */
  journalPath?: string;
  /** in-memory limit, reached only when neither the database nor the journal can be written. Default 100,000. */
  maxQueue?: number;
  /** store or disk trouble; the writer keeps going. Default: one line on stderr. */
  onError?: (error: unknown, context: string) => void;
}

export interface FlushResult {
  /** records confirmed in the store (newly inserted or already there) */
  stored: number;
  /** of those, records replayed from the journal */
  replayed: number;
  /** records appended to the journal because the store failed */
  journaled: number;
  /** records the database refused as invalid, moved to the rejected file */
  rejected: number;
}

export interface RejectedTrace {
  rejectedAt: number;
  error: string;
  record: TraceRecord;
}

function rejectedPath(journalPath: string): string {
  return journalPath.replace(/(\.ndjson)?$/, '.rejected.ndjson');
}

function defaultOnError(error: unknown, context: string): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchyard traces: ${context}: ${message}\n`);
}

export class TraceWriter {
  readonly #store: TraceSink;
  readonly #batchSize: number;
  readonly #maxQueue: number;
  readonly #journal: Journal<TraceRecord>;
  readonly #rejected: Journal<RejectedTrace>;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #timer: NodeJS.Timeout;
  #queue: TraceRecord[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #pendingFlushes = 0;
  #nextRun: Promise<FlushResult> | null = null;
  #nextRunTakesAll = false;
  /** unknown at start, so the first flush looks */
  #journalPending = true;
  #closed = false;
  #dropped = 0;

  constructor(options: TraceWriterOptions) {
    this.#store = options.store;
    this.#batchSize = Math.max(1, options.batchSize ?? 200);
    this.#maxQueue = Math.max(this.#batchSize, options.maxQueue ?? 100_000);
    const journalPath = options.journalPath ?? DEFAULT_JOURNAL_PATH;
    this.#journal = new Journal<TraceRecord>(journalPath);
    this.#rejected = new Journal<RejectedTrace>(rejectedPath(journalPath));
    this.#onError = options.onError ?? defaultOnError;
    this.#timer = setInterval(() => this.#tick(), options.flushIntervalMs ?? 1000);
    this.#timer.unref();
    this.#tick(); // replays a journal left by an earlier run
  }

  /** records waiting in memory (for metrics) */
  get depth(): number {
    return this.#queue.length;
  }

  /** records dropped because memory, store and journal were all full or failing */
  get dropped(): number {
    return this.#dropped;
  }

  get journalPath(): string {
    return this.#journal.path;
  }

  /** Hot path: O(1), synchronous, never throws. */
  record(trace: TraceRecord): void {
    if (this.#closed) {
      this.#journalAfterClose([trace]);
      return;
    }
    this.#queue.push(trace);
    if (this.#queue.length > this.#maxQueue) {
      this.#queue.shift();
      this.#dropped++;
    }
    if (this.#queue.length >= this.#batchSize) this.#tick(false);
  }

  /** Writes everything queued so far (replaying the journal first); resolves when it is stored or journaled. */
  flush(): Promise<FlushResult> {
    return this.#schedule(true);
  }

  /**
   * `all` writes everything queued when the run starts; otherwise only full batches go (a full batch is
   * what starts a run). Either way, rows that arrive while a run writes wait for the next full batch or
   * the timer: draining them at once made a run of 1-8 row transactions after every batch under load, each
   * nearly as costly in commits and index pages as a full one.
   */
  #schedule(all: boolean): Promise<FlushResult> {
    // a run that has not started yet will take everything queued by now: share it
    if (this.#nextRun) {
      if (all) this.#nextRunTakesAll = true;
      return this.#nextRun;
    }
    this.#nextRunTakesAll = all;
    this.#pendingFlushes++;
    const run = this.#chain.then(() => {
      this.#nextRun = null;
      return this.#flushOnce(this.#nextRunTakesAll);
    });
    this.#nextRun = run;
    this.#chain = run.catch(() => {}).finally(() => this.#pendingFlushes--);
    return run;
  }

  /** Stops the timer and flushes; anything recorded afterwards goes straight to the journal. */
  async close(): Promise<FlushResult> {
    clearInterval(this.#timer);
    const result = await this.flush();
    this.#closed = true;
    this.#journalAfterClose(this.#queue.splice(0));
    return result;
  }

  /** Starts a run unless one is under way (that one takes the full batches queued meanwhile). */
  #tick(all = true): void {
    if (this.#pendingFlushes === 0) void this.#schedule(all);
  }

  async #flushOnce(all: boolean): Promise<FlushResult> {
    const result: FlushResult = { stored: 0, replayed: 0, journaled: 0, rejected: 0 };
    try {
      if (this.#journalPending && !(await this.#replay(result))) {
        await this.#journalQueue(result);
        return result;
      }
      // rows queued before this run started all go; rows that arrive during it go only as full batches
      let owed = all ? this.#queue.length : 0;
      while (this.#queue.length >= this.#batchSize || (owed > 0 && this.#queue.length > 0)) {
        const batch = this.#queue.splice(0, this.#batchSize);
        owed -= batch.length;
        try {
          await this.#insert(batch, result);
        } catch (error) {
          this.#onError(error, 'store write failed; journaling');
          this.#queue = batch.concat(this.#queue);
          await this.#journalQueue(result);
          return result;
        }
      }
    } catch (error) {
      this.#onError(error, 'flush');
    }
    return result;
  }

  /** Journal → store, then truncate. False when the store is still failing (the journal is kept). */
  async #replay(result: FlushResult): Promise<boolean> {
    if (!(await this.#journal.hasEntries())) {
      this.#journalPending = false;
      return true;
    }
    const { entries, corruptLines } = await this.#journal.read();
    if (corruptLines > 0)
      this.#onError(new Error(`${corruptLines} unreadable journal line(s) skipped`), 'journal');
    for (let start = 0; start < entries.length; start += this.#batchSize) {
      const batch = entries.slice(start, start + this.#batchSize);
      try {
        await this.#insert(batch, result);
      } catch (error) {
        this.#onError(error, 'journal replay failed; will retry');
        return false;
      }
      result.replayed += batch.length;
    }
    await this.#journal.truncate();
    this.#journalPending = false;
    return true;
  }

  async #journalQueue(result: FlushResult): Promise<void> {
    const records = this.#queue.splice(0);
    if (records.length === 0) return;
    try {
      await this.#journal.append(records);
      this.#journalPending = true;
      result.journaled += records.length;
    } catch (error) {
      this.#onError(error, 'journal write failed; keeping records in memory');
      this.#queue = records.concat(this.#queue);
      const excess = this.#queue.length - this.#maxQueue;
      if (excess > 0) {
        this.#queue.splice(0, excess);
        this.#dropped += excess;
      }
    }
  }

  /** Throws when the store is unavailable; records the database refuses as invalid are set aside. */
  async #insert(batch: TraceRecord[], result: FlushResult): Promise<void> {
    try {
      await this.#store.insertTraces(batch);
      result.stored += batch.length;
      return;
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    // The database refused something in this batch: find which records, one at a time.
    for (const record of batch) {
      try {
        await this.#store.insertTraces([record]);
        result.stored++;
      } catch (error) {
        if (!isDataError(error)) throw error;
        await this.#rejected.append([{ rejectedAt: Date.now(), error: String(error), record }]);
        this.#onError(error, `trace ${record.id} refused by the database; moved to ${this.#rejected.path}`);
        result.rejected++;
      }
    }
  }

  #journalAfterClose(records: TraceRecord[]): void {
    try {
      this.#journal.appendSync(records);
    } catch (error) {
      this.#dropped += records.length;
      this.#onError(error, 'journal write after close failed; records dropped');
    }
  }
}
