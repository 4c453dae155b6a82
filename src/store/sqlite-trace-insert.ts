// Trace batches on SQLite: one prepared single-row statement run synchronously for every row, in short
// transactions, under Kysely's connection lock (so no Kysely query interleaves). node:sqlite is synchronous
// anyway; going through Kysely per row cost more CPU on the gateway's thread than the insert itself.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Kysely } from 'kysely';
import type { TraceRecord } from '../traces/trace-record.ts';
import { toTraceRow } from './row-mapping.ts';
import type { Database } from './schema.ts';
import { TRACE_COLUMNS } from './trace-queries.ts';

/** rows per transaction: about a millisecond of synchronous work */
const ROWS_PER_SLICE = 25;

export type SqliteTraceInserter = (records: readonly TraceRecord[]) => Promise<number>;

export function sqliteTraceInserter(db: Kysely<Database>, database: DatabaseSync): SqliteTraceInserter {
  let statement: StatementSync | undefined;
  return (records) => {
    if (records.length === 0) return Promise.resolve(0);
    return db.connection().execute(async () => {
      statement ??= database.prepare(insertSql());
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

function insertSql(): string {
  const placeholders = TRACE_COLUMNS.map(() => '?').join(', ');
  return `insert into "traces" (${TRACE_COLUMNS.map((column) => `"${column}"`).join(', ')}) values (${placeholders}) on conflict ("id") do nothing`;
}

function rowValues(record: TraceRecord): SQLInputValue[] {
  const row = toTraceRow(record) as Record<string, unknown>;
  const values = new Array<SQLInputValue>(TRACE_COLUMNS.length);
  for (let i = 0; i < TRACE_COLUMNS.length; i++) {
    const value = row[TRACE_COLUMNS[i]];
    values[i] = typeof value === 'boolean' ? (value ? 1 : 0) : ((value ?? null) as SQLInputValue);
  }
  return values;
}
