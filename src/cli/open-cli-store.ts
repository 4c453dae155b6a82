// The store for CLI commands: --database, else SWITCHYARD_DATABASE_URL, else the default ./switchyard.db.
import { existsSync } from 'node:fs';
import type { KyselyStore } from '../store/kysely-store.ts';
import { openStore, parseStoreUrl } from '../store/open-store.ts';

export interface DatabaseOption {
  database?: string;
}

export const DATABASE_HELP =
  'store URL or SQLite path (env SWITCHYARD_DATABASE_URL; default ./switchyard.db)';

export function storeUrl(options: DatabaseOption, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return options.database || env.SWITCHYARD_DATABASE_URL || undefined;
}

/** Opens an existing store to read it: a missing SQLite file is an error, not a new empty database. */
export async function openStoreForReading(options: DatabaseOption): Promise<KyselyStore> {
  const url = storeUrl(options);
  const location = parseStoreUrl(url);
  if (location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new Error(
      `no database at ${location.path}: pass --database, set SWITCHYARD_DATABASE_URL, or run switchyard migrate`,
    );
  }
  return openStore(url, { migrate: false });
}

/** Runs `fn` with the store open, closing it afterwards whatever happens. */
export async function withStore<T>(
  open: Promise<KyselyStore>,
  fn: (store: KyselyStore) => Promise<T>,
): Promise<T> {
  const store = await open;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
