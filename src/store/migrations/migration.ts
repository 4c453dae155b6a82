import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store.ts';

export interface Migration {
  /** '0001_init': the number orders them; never rename or edit an applied one, add the next */
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema as it was, not on today's types
  up(db: Kysely<any>, dialect: StoreDialect): Promise<void>;
}
