// OpenTelemetry spans for finished requests. The SDK and exporter are loaded only when an endpoint is
// configured: a gateway without OTel does not pay their memory (about 20 MB of RSS measured) or start-up.
import type { RequestRecord } from '../routing/request-record.ts';
import { type Env, otlpSettings } from './otlp-env.ts';

export interface Tracing {
  /**
   * Emits the spans of one finished request after the fact: a SERVER span for the request and a
   * CLIENT child per upstream attempt, timed from the record. `traceparent` (and `tracestate`) are the
   * client's W3C headers; when valid, the request span joins the client's trace.
   */
  recordRequest(
    record: RequestRecord,
    costUsd: number | null,
    traceparent?: string,
    tracestate?: string,
  ): void;
  /** Exports everything queued so far. */
  flush(): Promise<void>;
  /** Flushes, then stops the exporter. */
  shutdown(): Promise<void>;
}

/** undefined unless OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set. Exports OTLP/HTTP JSON. */
export async function createTracing(env: Env): Promise<Tracing | undefined> {
  const settings = otlpSettings(env);
  if (!settings) return undefined;
  const { createSdkTracing } = await import('./otel-sdk.ts');
  return createSdkTracing(settings);
}
