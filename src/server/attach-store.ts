import { openStore, parseStoreUrl, type StoreLocation } from '../store/index.ts';
import { SQLITE_TRACE_ROWS_PER_TRANSACTION } from '../store/sqlite-trace-insert.ts';
import type { Store } from '../store/store.ts';
import { ThreadedSqliteSink } from '../traces/threaded-sink.ts';
import { TraceWriter } from '../traces/trace-writer.ts';
import { takePayloads } from './capture-payloads.ts';
import { modelRetentionDays, requestCost, toTraceRecord, traceRetention } from './record-to-trace.ts';
import { RegistrySync } from './registry-sync.ts';
import { startRetention } from './retention.ts';
import type { Runtime } from './runtime.ts';

/**
 * Opens the store (embedded SQLite by default, PostgreSQL by URL), applies migrations and starts the
 * batched trace writer: every finished request becomes one trace row, written off the hot path.
 * The retention job purges expired traces, payloads and stored responses at start and on a timer.
 * Stored model entries are loaded into the registry and kept in step with the store.
 */
export async function attachStore(runtime: Runtime, env: NodeJS.ProcessEnv): Promise<Store> {
  const url = env.SWITCHYARD_DATABASE_URL || undefined;
  const store = await openStore(url);
  runtime.store = store;
  runtime.readinessChecks.push(() => store.ping());
  const registrySync = await attachRegistry(runtime, store, url);
  const retention = startRetention({
    store,
    intervalMs: runtime.traceSettings.purgeIntervalMs,
    onPurged: (outcome) => runtime.logger.info(outcome, 'retention purge'),
    onError: (error) => runtime.logger.warn({ err: error }, 'retention purge failed'),
  });
  runtime.retention = retention;
  const writer = env.SWITCHYARD_TRACES === 'off' ? undefined : startTraceWriter(runtime, env, store, url);
  const previousClose = runtime.close;
  runtime.close = async () => {
    await registrySync.stop();
    await retention.stop();
    await writer?.close();
    await store.close();
    await previousClose();
  };
  return store;
}

/** Stored model entries join the registry now, and on a timer when another process may change them. */
async function attachRegistry(runtime: Runtime, store: Store, url: string | undefined) {
  const sync = new RegistrySync({
    store,
    registry: runtime.registry,
    onInvalid: (entry) => runtime.logger.warn(entry, 'stored model entry ignored'),
    onError: (error) => runtime.logger.warn({ err: error }, 'registry refresh failed'),
  });
  await sync.refresh();
  const location = parseStoreUrl(url);
  const shared = location.dialect === 'postgres' || location.path !== ':memory:';
  if (shared) sync.start(runtime.settings.registryRefreshMs);
  runtime.registrySync = sync;
  return sync;
}

/**
 * The SQLite file the trace writer's own thread inserts into, or undefined when inserts run on the store's
 * connection. A SQLite file gets the thread unless SWITCHYARD_TRACE_WORKER is `0`/`off`: on the event loop,
 * every commit and every WAL checkpoint (two fsyncs per 1,000 WAL pages) blocks all requests in flight,
 * and on a slow disk a checkpoint took 25-35 ms, about every 2 s at 500 req/s. The thread costs its own
 * V8 heap (9-14 MiB more peak RSS) and ~7 % more CPU per request: rows are copied across.
 * An in-memory database exists only on its own connection; PostgreSQL's driver does not block the loop.
 */
export function traceWorkerDatabase(env: NodeJS.ProcessEnv, location: StoreLocation): string | undefined {
  const off = env.SWITCHYARD_TRACE_WORKER === '0' || env.SWITCHYARD_TRACE_WORKER === 'off';
  return !off && location.dialect === 'sqlite' && location.path !== ':memory:' ? location.path : undefined;
}

/** Every finished request becomes one trace row, handed to the batched writer. */
function startTraceWriter(runtime: Runtime, env: NodeJS.ProcessEnv, store: Store, url: string | undefined) {
  const settings = runtime.traceSettings;
  const location = parseStoreUrl(url);
  const threadedPath = traceWorkerDatabase(env, location);
  const sink = threadedPath ? new ThreadedSqliteSink(threadedPath) : store;
  const writer = new TraceWriter({
    store: sink,
    // On SQLite a batch is written as transactions of this many rows anyway; handing them over as soon as
    // there are that many keeps trace records from waiting (and surviving scavenges) while a batch of 200
    // fills. PostgreSQL keeps larger batches.
    batchSize: location.dialect === 'sqlite' ? SQLITE_TRACE_ROWS_PER_TRANSACTION : undefined,
    journalPath: env.SWITCHYARD_TRACE_JOURNAL || undefined,
    onError: (error, context) => runtime.logger.warn({ err: error, context }, 'trace writer'),
  });
  runtime.traceWriter = writer;
  runtime.recordListeners.push((record) => {
    const retention = traceRetention(
      record.startedAt,
      settings,
      modelRetentionDays(runtime.registry, record),
    );
    const payloads = retention.keepPayloads ? takePayloads(record) : undefined;
    writer.record(toTraceRecord(record, requestCost(runtime.registry, record), retention, payloads));
  });
  return {
    close: async () => {
      await writer.close();
      if (sink instanceof ThreadedSqliteSink) await sink.close();
    },
  };
}
