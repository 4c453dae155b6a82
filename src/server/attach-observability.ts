import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { createTracing } from '../observability/otel.ts';
import { requestCost } from './record-to-trace.ts';
import type { Runtime } from './runtime.ts';

/** Prometheus metrics always; OpenTelemetry spans when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export async function attachObservability(runtime: Runtime): Promise<Metrics> {
  const metrics = createMetrics();
  const tracing = await createTracing(runtime.env);
  runtime.metrics = metrics;
  if (runtime.traceWriter) {
    const writer = runtime.traceWriter;
    metrics.setTraceQueueDepthSource(() => writer.depth);
  }
  runtime.recordListeners.push((record) => {
    const cost = requestCost(runtime.registry, record);
    metrics.observe(record, cost);
    tracing?.recordRequest(record, cost, record.traceparent, record.tracestate);
  });
  if (tracing) {
    const previousClose = runtime.close;
    runtime.close = async () => {
      await tracing.shutdown();
      await previousClose();
    };
  }
  return metrics;
}
