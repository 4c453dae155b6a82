export { KyselyStore } from './kysely-store.ts';
export {
  DEFAULT_STORE_URL,
  type OpenStoreOptions,
  openStore,
  parseStoreUrl,
  type StoreLocation,
} from './open-store.ts';
export type * from './store.ts';
