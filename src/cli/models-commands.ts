// `switchyard models list|show|set|remove`: the stored model entries the admin API manages, validated the
// same way, read and written straight in the store. A running gateway picks changes up on its next refresh.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { declaredProviderIds, resolveConfigPath } from '../config/load-config.ts';
import { knownProviderTypes } from '../providers/registry.ts';
import { parseModelEntryInput } from '../server/model-entry-input.ts';
import { storedModelJson } from '../server/routes/admin-models.ts';
import {
  deleteStoredModel,
  getStoredModel,
  listStoredModels,
  putStoredModel,
  type StoredModel,
} from '../server/stored-models.ts';
import { openStore } from '../store/open-store.ts';
import { formatTable, formatTime, writeJson } from './format-table.ts';
import {
  DATABASE_HELP,
  type DatabaseOption,
  openStoreForReading,
  storeUrl,
  withStore,
} from './open-cli-store.ts';

interface SetOptions extends DatabaseOption {
  file?: string;
  json?: string;
  config?: string;
}

export function registerModelsCommands(program: Command): void {
  const models = program
    .command('models')
    .description('stored model entries (the ones GET/PUT/DELETE /v1/admin/models manage)');
  models
    .command('list')
    .description('list the stored model entries, one row per deployment')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON, as GET /v1/admin/models does')
    .action((options: DatabaseOption & { json?: boolean }) => list(options));
  models
    .command('show')
    .description('print one stored entry as JSON, as GET /v1/admin/models/{id} does')
    .argument('<id>', 'model id')
    .option('--database <url>', DATABASE_HELP)
    .action((id: string, options: DatabaseOption) => show(id, options));
  models
    .command('set')
    .description('create or replace a stored entry (the config file models[] shape; id optional)')
    .argument('<id>', 'model id')
    .option('--file <path>', 'the entry as a JSON file')
    .option('--json <entry>', 'the entry as JSON text')
    .option('-c, --config <file>', 'config file whose providers entries may name (default ./switchyard.yaml)')
    .option('--database <url>', DATABASE_HELP)
    .action((id: string, options: SetOptions) => set(id, options));
  models
    .command('remove')
    .description('delete a stored entry')
    .argument('<id>', 'model id')
    .option('--database <url>', DATABASE_HELP)
    .action((id: string, options: DatabaseOption) => remove(id, options));
}

async function list(options: DatabaseOption & { json?: boolean }): Promise<void> {
  const { models, invalid } = await withStore(openStoreForReading(options), listStoredModels);
  for (const entry of invalid)
    process.stderr.write(`ignored stored entry '${entry.id}', which is invalid: ${entry.problem}\n`);
  if (options.json) {
    writeJson({ object: 'list', data: models.map(storedModelJson) });
    return;
  }
  process.stdout.write(`${deploymentsTable(models)}\n`);
}

function deploymentsTable(models: readonly StoredModel[]): string {
  const price = (value: number | undefined) => (value === undefined ? '-' : `$${value}`);
  return formatTable(
    ['ID', 'PROVIDER', 'MODEL', 'INPUT/M', 'OUTPUT/M', 'UPDATED'],
    models.flatMap((model) =>
      model.entry.deployments.map((deployment) => [
        model.id,
        deployment.provider,
        deployment.model,
        price(deployment.price?.input),
        price(deployment.price?.output),
        formatTime(model.updatedAt),
      ]),
    ),
  );
}

async function show(id: string, options: DatabaseOption): Promise<void> {
  const model = await withStore(openStoreForReading(options), (store) => getStoredModel(store, id));
  if (!model) throw new Error(`no stored model entry '${id}'`);
  writeJson(storedModelJson(model));
}

async function set(id: string, options: SetOptions): Promise<void> {
  if ((options.file === undefined) === (options.json === undefined))
    throw new Error('pass the entry with either --file <path> or --json <entry>');
  const text = options.file === undefined ? (options.json ?? '') : readFileSync(options.file, 'utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`the entry is not valid JSON: ${(error as Error).message}`);
  }
  const entry = parseModelEntryInput(id, body, providerCheck(options.config));
  const { created } = await withStore(openStore(storeUrl(options)), (store) => putStoredModel(store, entry));
  process.stdout.write(`${created ? 'created' : 'replaced'} model entry '${id}'\n`);
}

/** Built-in provider ids, and those the config file declares (as the gateway would know them). */
function providerCheck(configOption: string | undefined): (provider: string) => boolean {
  const known = knownProviderTypes();
  const file = resolveConfigPath(configOption, process.env);
  const declared = new Set(file ? declaredProviderIds(file) : []);
  return (provider) => known.has(provider) || declared.has(provider);
}

async function remove(id: string, options: DatabaseOption): Promise<void> {
  const removed = await withStore(openStoreForReading(options), (store) => deleteStoredModel(store, id));
  if (!removed) throw new Error(`no stored model entry '${id}'`);
  process.stdout.write(`removed model entry '${id}'\n`);
}
