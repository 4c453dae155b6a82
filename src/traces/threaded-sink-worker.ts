// Runs in a worker thread: owns its own SQLite connection and inserts trace batches, so the
// synchronous SQLite writes never block the gateway's event loop. Deliberately small: rows arrive as
// values, so this thread loads node:sqlite and nothing else (every thread is a V8 heap of its own).
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../store/sqlite-connection.ts';
import { insertTraceRows, prepareTraceInsert } from '../store/sqlite-trace-insert.ts';

export interface InsertMessage {
  id: number;
  columns: string[];
  /** JSON of the rows' values, in column order */
  rows: string;
  /** more pieces of the same batch follow; the batch is inserted, in one transaction, with the last */
  more: boolean;
}

interface Batch {
  id: number;
  rows: SQLInputValue[][];
  failure?: unknown;
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

let partial: Batch | undefined;

port.on('message', (message: InsertMessage | 'close') => {
  if (message === 'close') {
    database.close();
    port.close();
    return;
  }
  const batch = partial?.id === message.id ? partial : { id: message.id, rows: [] };
  try {
    if (!batch.failure) for (const row of JSON.parse(message.rows) as SQLInputValue[][]) batch.rows.push(row);
  } catch (caught) {
    batch.failure = caught;
  }
  partial = message.more ? batch : undefined;
  if (message.more) return;
  try {
    if (batch.failure) throw batch.failure;
    const inserted = insertTraceRows(database, statementFor(message.columns), batch.rows);
    port.postMessage({ id: message.id, inserted });
  } catch (caught) {
    const error = caught as { message?: string; code?: unknown; errcode?: unknown };
    port.postMessage({
      id: message.id,
      error: { message: String(error?.message), code: error?.code, errcode: error?.errcode },
    });
  }
});
