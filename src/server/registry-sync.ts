// Keeps the registry's stored layer equal to the store: loaded at start, reloaded right after the admin API
// writes, and polled on a timer so changes from other instances or the CLI arrive. A poll reads only the
// entries' stamp and lists them when it differs from the last one loaded.
import type { ModelRegistry } from '../routing/model-registry.ts';
import type { Store } from '../store/store.ts';
import { toModelEntry } from './model-entries.ts';
import { type InvalidStoredModel, listStoredModels } from './stored-models.ts';

export interface RegistrySyncOptions {
  store: Store;
  registry: ModelRegistry;
  onInvalid: (entry: InvalidStoredModel) => void;
  onError: (error: unknown) => void;
}

export class RegistrySync {
  private readonly options: RegistrySyncOptions;
  private lastStamp: string | undefined;
  /** refreshes run one after another, so an older listing never lands after a newer one */
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RegistrySyncOptions) {
    this.options = options;
  }

  /** Loads the stored entries into the registry when they changed since the last load. */
  refresh(): Promise<void> {
    const run = this.queue.then(() => this.reloadIfChanged());
    this.queue = run.catch(() => {});
    return run;
  }

  /** Polls every `intervalMs` (0: never). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch(this.options.onError);
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  private async reloadIfChanged(): Promise<void> {
    const { store, registry, onInvalid } = this.options;
    const stamp = await store.modelEntriesStamp();
    if (stamp === this.lastStamp) return;
    const { models, invalid } = await listStoredModels(store);
    for (const entry of invalid) onInvalid(entry);
    registry.setStoredEntries(models.map((model) => toModelEntry(model.entry, 'store')));
    this.lastStamp = stamp;
  }
}
