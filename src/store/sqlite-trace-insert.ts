// Trace batches on SQLite: one prepared single-row statement run synchronously for every row, in short
// transactions, under Kysely's connection lock (so no Kysely query interleaves). node:sqlite is synchronous
// anyway; going through Kysely per row cost more CPU on the gateway's thread than the insert itself.
// The same pieces serve the trace writer's own thread (src/traces/threaded-sink-worker.ts), which gets
// rows already turned into values.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Kysely } from 'kysely';
import type { TraceRecord } from '../traces/trace-record.ts';
import { toTraceRow } from './row-mapping.ts';
import type { Database } from './schema.ts';

/**
 * Rows per transaction on the event loop (about 0.6 ms of synchronous work, measured alone). A commit writes
 * every page it touched to the WAL, so rows sharing a commit share pages: 0.73 WAL frames per row at 25 rows,
 * 0.34 at 100. Fewer frames mean fewer WAL checkpoints, each of which blocks the loop for milliseconds
 * (two fsyncs) every 1,000 frames, and fewer page writes per row.
 */
export const SQLITE_TRACE_ROWS_PER_TRANSACTION = 100;
const ROWS_PER_SLICE = SQLITE_TRACE_ROWS_PER_TRANSACTION;

export type SqliteTraceInserter = (records: readonly TraceRecord[]) => Promise<number>;

export function sqliteTraceInserter(db: Kysely<Database>, database: DatabaseSync): SqliteTraceInserter {
  let statement: StatementSync | undefined;
  return (records) => {
    if (records.length === 0) return Promise.resolve(0);
    return db.connection().execute(async () => {
      statement ??= prepareTraceInsert(database, traceColumns(records[0]));
      let inserted = 0;
      for (let start = 0; start < records.length; start += ROWS_PER_SLICE) {
        // a batch of 200 took ~8 ms of the event loop and showed in p99 latency: write it in short
        // transactions and let waiting requests run in between (rows are idempotent by id)
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const slice = records.slice(start, start + ROWS_PER_SLICE).map(traceRowValues);
        inserted += insertTraceRows(database, statement, slice);
      }
      return inserted;
    });
  };
}

/** The row's own key order names the columns, so each row binds as Object.values(row). */
export function traceColumns(record: TraceRecord): string[] {
  return Object.keys(toTraceRow(record));
}

export function prepareTraceInsert(database: DatabaseSync, columns: readonly string[]): StatementSync {
  const placeholders = columns.map(() => '?').join(', ');
  const names = columns.map((column) => `"${column}"`).join(', ');
  return database.prepare(
    `insert into "traces" (${names}) values (${placeholders}) on conflict ("id") do nothing`,
  );
}

/** One transaction; returns the rows newly inserted (a replayed id inserts nothing). */
export function insertTraceRows(
  database: DatabaseSync,
  statement: StatementSync,
  rows: readonly SQLInputValue[][],
): number {
  let inserted = 0;
  database.exec('begin immediate');
  try {
    for (const row of rows) inserted += Number(statement.run(...row).changes);
    database.exec('commit');
  } catch (error) {
    if (database.isTransaction) database.exec('rollback');
    throw error;
  }
  return inserted;
}

export function traceRowValues(record: TraceRecord): SQLInputValue[] {
  const values = Object.values(toTraceRow(record)) as unknown[];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'boolean') values[i] = value ? 1 : 0;
    else if (value === undefined) values[i] = null;
  }
  return values as SQLInputValue[];
}
