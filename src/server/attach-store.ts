import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { TraceWriter } from '../traces/trace-writer.ts';
import { takePayloads } from './capture-payloads.ts';
import { modelRetentionDays, requestCost, toTraceRecord, traceRetention } from './record-to-trace.ts';
import { startRetention } from './retention.ts';
import type { Runtime } from './runtime.ts';

/**
 * Opens the store (embedded SQLite by default, PostgreSQL by URL), applies migrations and starts the
 * batched trace writer: every finished request becomes one trace row, written off the hot path.
 * The retention job purges expired traces, payloads and stored responses at start and on a timer.
 */
export async function attachStore(runtime: Runtime, env: NodeJS.ProcessEnv): Promise<Store> {
  const store = await openStore(env.SWITCHYARD_DATABASE_URL || undefined);
  const settings = runtime.traceSettings;
  const writer = new TraceWriter({
    store,
    journalPath: env.SWITCHYARD_TRACE_JOURNAL || undefined,
    onError: (error, context) => runtime.logger.warn({ err: error, context }, 'trace writer'),
  });
  runtime.store = store;
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
  runtime.readinessChecks.push(() => store.ping());
  const retention = startRetention({
    store,
    intervalMs: settings.purgeIntervalMs,
    onPurged: (outcome) => runtime.logger.info(outcome, 'retention purge'),
    onError: (error) => runtime.logger.warn({ err: error }, 'retention purge failed'),
  });
  runtime.retention = retention;
  const previousClose = runtime.close;
  runtime.close = async () => {
    await retention.stop();
    await writer.close();
    await store.close();
    await previousClose();
  };
  return store;
}
