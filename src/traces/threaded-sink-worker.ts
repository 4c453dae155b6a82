// Runs in a worker thread: owns its own SQLite connection and inserts trace batches, so the
// synchronous SQLite writes never block the gateway's event loop. Deliberately small: rows arrive as
// values, so this thread loads node:sqlite and nothing else (every thread is a V8 heap of its own).
import { getPriority, setPriority } from 'node:os';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../store/sqlite-connection.ts';
import { insertTraceRows, prepareTraceInsert } from '../store/sqlite-trace-insert.ts';

export interface InsertMessage {
  id: number;
  columns: string[];
  /** the batch's rows, in pieces: each a JSON array of rows' values in column order */
  pieces: string[];
}

// a nice value is the calling thread's own on Linux only; elsewhere it would lower the whole process.
// Relative to the thread's inherited value, so a gateway started under `nice` keeps the same distance.
const niceIncrement = (workerData.niceIncrement as number | undefined) ?? 0;
if (process.platform === 'linux' && niceIncrement > 0) {
  try {
    setPriority(Math.min(19, getPriority() + niceIncrement));
  } catch {
    // an optimisation only: the thread writes at the loop's priority
  }
}

const database = openSqliteDatabase(workerData.path as string);
const port = parentPort!;
const statements = new Map<string, StatementSync>();

function statementFor(columns: string[]): StatementSync {
  const key = columns.join(',');
  let statement = statements.get(key);
  if (!statement) {
    statement = prepareTraceInsert(database, columns);
    statements.set(key, statement);
  }
  return statement;
}

/** A batch is inserted in one transaction: all of its rows, or none when a piece cannot be parsed. */
port.on('message', (message: InsertMessage | 'close') => {
  if (message === 'close') {
    database.close();
    port.close();
    return;
  }
  try {
    const rows: SQLInputValue[][] = [];
    for (const piece of message.pieces)
      for (const row of JSON.parse(piece) as SQLInputValue[][]) rows.push(row);
    const inserted = insertTraceRows(database, statementFor(message.columns), rows);
    port.postMessage({ id: message.id, inserted });
  } catch (caught) {
    const error = caught as { message?: string; code?: unknown; errcode?: unknown };
    port.postMessage({
      id: message.id,
      error: { message: String(error?.message), code: error?.code, errcode: error?.errcode },
    });
  }
});
