// Trace batches on SQLite: one prepared single-row statement run synchronously for every row, in short
// transactions, under Kysely's connection lock (so no Kysely query interleaves). node:sqlite is synchronous
// anyway; going through Kysely per row cost more CPU on the gateway's thread than the insert itself.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Kysely } from 'kysely';
import type { TraceRecord } from '../traces/trace-record.ts';
import { toTraceRow } from './row-mapping.ts';
import type { Database } from './schema.ts';

/** rows per transaction: about a millisecond of synchronous work */
const ROWS_PER_SLICE = 25;

export type SqliteTraceInserter = (records: readonly TraceRecord[]) => Promise<number>;

export function sqliteTraceInserter(db: Kysely<Database>, database: DatabaseSync): SqliteTraceInserter {
  let statement: StatementSync | undefined;
  return (records) => {
    if (records.length === 0) return Promise.resolve(0);
    return db.connection().execute(async () => {
      // the row's own key order names the columns, so each row binds as Object.values(row)
      statement ??= database.prepare(insertSql(Object.keys(toTraceRow(records[0]))));
      let inserted = 0;
      for (let start = 0; start < records.length; start += ROWS_PER_SLICE) {
        // a batch of 200 took ~8 ms of the event loop and showed in p99 latency: write it in short
        // transactions and let waiting requests run in between (rows are idempotent by id)
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        database.exec('begin immediate');
        try {
          for (const record of records.slice(start, start + ROWS_PER_SLICE))
            inserted += Number(statement.run(...rowValues(record)).changes);
          database.exec('commit');
        } catch (error) {
          if (database.isTransaction) database.exec('rollback');
          throw error;
        }
      }
      return inserted;
    });
  };
}

function insertSql(columns: readonly string[]): string {
  const placeholders = columns.map(() => '?').join(', ');
  return `insert into "traces" (${columns.map((column) => `"${column}"`).join(', ')}) values (${placeholders}) on conflict ("id") do nothing`;
}

function rowValues(record: TraceRecord): SQLInputValue[] {
  const values = Object.values(toTraceRow(record)) as unknown[];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'boolean') values[i] = value ? 1 : 0;
    else if (value === undefined) values[i] = null;
  }
  return values as SQLInputValue[];
}
