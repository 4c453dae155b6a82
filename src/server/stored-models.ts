// Model entries in the store (registry_entries rows keyed `model:<id>`), in the config `models[]` shape.
// Shared by the admin API, the registry refresh and the `switchyard models` CLI.
import { type ConfigModel, modelSchema } from '../config/schema.ts';
import type { Store } from '../store/store.ts';
import { describeIssues } from './model-entry-input.ts';

const KEY_PREFIX = 'model:';

export interface StoredModel {
  id: string;
  entry: ConfigModel;
  updatedAt: number;
}

/** A stored row that no longer passes validation (hand-edited, or written by another version). */
export interface InvalidStoredModel {
  id: string;
  problem: string;
}

export async function listStoredModels(
  store: Store,
): Promise<{ models: StoredModel[]; invalid: InvalidStoredModel[] }> {
  const models: StoredModel[] = [];
  const invalid: InvalidStoredModel[] = [];
  for (const row of await store.listModelEntries()) {
    if (!row.id.startsWith(KEY_PREFIX)) continue;
    const id = row.id.slice(KEY_PREFIX.length);
    const parsed = modelSchema.safeParse(row.entry);
    if (parsed.success && parsed.data.id === id)
      models.push({ id, entry: parsed.data, updatedAt: row.updatedAt });
    else
      invalid.push({
        id,
        problem: parsed.success ? 'its id differs from its key' : describeIssues(parsed.error),
      });
  }
  return { models, invalid };
}

export async function getStoredModel(store: Store, id: string): Promise<StoredModel | undefined> {
  const { models } = await listStoredModels(store);
  return models.find((model) => model.id === id);
}

/** Creates or replaces the entry; returns it as stored and whether it is new. */
export async function putStoredModel(
  store: Store,
  entry: ConfigModel,
): Promise<{ model: StoredModel; created: boolean }> {
  const key = `${KEY_PREFIX}${entry.id}`;
  const existed = (await store.listModelEntries()).some((row) => row.id === key);
  await store.putModelEntry(key, entry);
  const model = await getStoredModel(store, entry.id);
  if (!model) throw new Error(`model entry ${entry.id} was not found after writing it`);
  return { model, created: !existed };
}

export function deleteStoredModel(store: Store, id: string): Promise<boolean> {
  return store.deleteModelEntry(`${KEY_PREFIX}${id}`);
}
