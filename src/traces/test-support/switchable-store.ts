// A real store whose writes can be switched off (as if the database went down), recording each batch.
import type { Store } from '../../store/store.ts';
import type { TraceRecord } from '../trace-record.ts';
import type { TraceSink } from '../trace-writer.ts';

export class SwitchableStore implements TraceSink {
  readonly store: Store;
  failing = false;
  /** ids of every batch that reached the database, in order */
  readonly batches: string[][] = [];
  failures = 0;
  /** while set, writes wait for it (a slow database) */
  gate: Promise<void> | undefined;

  constructor(store: Store) {
    this.store = store;
  }

  async insertTraces(records: readonly TraceRecord[]): Promise<number> {
    if (this.failing) {
      this.failures++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }
    this.batches.push(records.map((r) => r.id));
    if (this.gate) await this.gate;
    return this.store.insertTraces(records);
  }
}

/** Every trace id in the store, sorted, duplicates kept. */
export async function storedIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTraces({}, { limit: 1000, cursor });
    ids.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}
