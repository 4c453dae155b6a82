// The Store over a Kysely instance; the dialect decides only JSON decoding, locking and the integrity check.
import { type Kysely, sql } from 'kysely';
import type { TraceRecord } from '../traces/trace-record.ts';
import { completeTraceGroup, createTraceGroup, getTraceGroup } from './group-queries.ts';
import { runMigrations } from './migrate.ts';
import { deleteModelEntry, listModelEntries, modelEntriesStamp, putModelEntry } from './registry-queries.ts';
import { deleteResponse, getResponse, purgeResponses, putResponse } from './response-queries.ts';
import { cleanText } from './row-mapping.ts';
import type { Database } from './schema.ts';
import { spend } from './spend-query.ts';
import type {
  CompleteTraceGroupInput,
  CreateTraceGroupInput,
  IntegrityResult,
  PageRequest,
  SpendQuery,
  Store,
  StoreDialect,
  StoredResponse,
  TraceFilter,
} from './store.ts';
import { getTrace, insertTraces, listTraces, purgeTraces } from './trace-queries.ts';

export class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  /** for queries this interface does not cover yet; prefer adding a method */
  readonly db: Kysely<Database>;
  #closed = false;

  readonly #insertTraces: (records: readonly TraceRecord[]) => Promise<number>;

  constructor(
    db: Kysely<Database>,
    dialect: StoreDialect,
    traceInserter?: (records: readonly TraceRecord[]) => Promise<number>,
  ) {
    this.db = db;
    this.dialect = dialect;
    this.#insertTraces = traceInserter ?? ((records) => insertTraces(db, records));
  }

  migrate = () => runMigrations(this.db, this.dialect);

  insertTraces = (records: readonly TraceRecord[]) => this.#insertTraces(records);
  getTrace = (id: string) => getTrace(this.db, this.dialect, cleanText(id));
  listTraces = (filter: TraceFilter = {}, page: PageRequest = {}) =>
    listTraces(this.db, this.dialect, filter, page);
  purgeTraces = (now: number) => purgeTraces(this.db, now);

  createTraceGroup = (input: CreateTraceGroupInput) => createTraceGroup(this.db, this.dialect, input);
  completeTraceGroup = (id: string, input: CompleteTraceGroupInput = {}) =>
    completeTraceGroup(this.db, this.dialect, cleanText(id), input);
  getTraceGroup = (id: string) => getTraceGroup(this.db, this.dialect, cleanText(id));

  spend = (query: SpendQuery) => spend(this.db, query);

  putResponse = (response: StoredResponse) => putResponse(this.db, response);
  getResponse = (id: string, now: number = Date.now()) =>
    getResponse(this.db, this.dialect, cleanText(id), now);
  deleteResponse = (id: string) => deleteResponse(this.db, cleanText(id));
  purgeResponses = (now: number) => purgeResponses(this.db, now);

  putModelEntry = (id: string, entry: unknown) => putModelEntry(this.db, this.dialect, id, entry);
  listModelEntries = () => listModelEntries(this.db, this.dialect);
  deleteModelEntry = (id: string) => deleteModelEntry(this.db, cleanText(id));
  modelEntriesStamp = () => modelEntriesStamp(this.db);

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async integrityCheck(): Promise<IntegrityResult> {
    if (this.dialect === 'postgres') {
      const result = await sql<{ ok: number }>`select 1 as ok`.execute(this.db);
      const ok = Number(result.rows[0]?.ok) === 1;
      return { ok, details: [ok ? 'ok' : 'unexpected reply to select 1'] };
    }
    const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(this.db);
    const details = result.rows.map((row) => String(row.integrity_check));
    return { ok: details.length === 1 && details[0] === 'ok', details };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }
}
