import { DEFAULT_STORE_URL, openStore, parseStoreUrl } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { ThreadedSqliteSink } from '../traces/threaded-sink.ts';
import { TraceWriter } from '../traces/trace-writer.ts';
import { requestCost, toTraceRecord } from './record-to-trace.ts';
import type { Runtime } from './runtime.ts';

/**
 * Opens the store (embedded SQLite by default, PostgreSQL by URL), applies migrations and starts the
 * batched trace writer: every finished request becomes one trace row, written off the hot path.
 */
export async function attachStore(runtime: Runtime, env: NodeJS.ProcessEnv): Promise<Store> {
  const url = env.SWITCHYARD_DATABASE_URL || undefined;
  const store = await openStore(url);
  const retentionDays = Number(env.SWITCHYARD_TRACE_RETENTION_DAYS ?? 30);
  const location = parseStoreUrl(url);
  // SQLite writes are synchronous: a file database gets its trace inserts on a worker thread.
  const sink =
    location.dialect === 'sqlite' && location.path !== ':memory:'
      ? new ThreadedSqliteSink(url ?? DEFAULT_STORE_URL)
      : store;
  const writer = new TraceWriter({
    store: sink,
    journalPath: env.SWITCHYARD_TRACE_JOURNAL || undefined,
    onError: (error, context) => runtime.logger.warn({ err: error, context }, 'trace writer'),
  });
  runtime.store = store;
  runtime.traceWriter = writer;
  runtime.recordListeners.push((record) => {
    writer.record(toTraceRecord(record, requestCost(runtime.registry, record), retentionDays));
  });
  runtime.readinessChecks.push(() => store.ping());
  const previousClose = runtime.close;
  runtime.close = async () => {
    await writer.close();
    if (sink instanceof ThreadedSqliteSink) await sink.close();
    await store.close();
    await previousClose();
  };
  return store;
}
