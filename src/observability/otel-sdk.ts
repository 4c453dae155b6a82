import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AttemptRecord, RequestRecord } from '../routing/request-record.ts';
import { GEN_AI, genAiOperation, genAiProviderName, usageAttributes } from './gen-ai-attributes.ts';
import type { Tracing } from './otel.ts';
import type { OtlpSettings } from './otlp-env.ts';

/** Tracing over the OpenTelemetry SDK, exporting OTLP/HTTP JSON (loaded only when an endpoint is set). */
export function createSdkTracing(settings: OtlpSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers });
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('switchyard');
  const propagator = new W3CTraceContextPropagator();
  return {
    recordRequest(record, costUsd, traceparent, tracestate) {
      const carrier: Record<string, string> = {};
      if (traceparent) carrier.traceparent = traceparent;
      if (tracestate) carrier.tracestate = tracestate;
      const parent = traceparent
        ? propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)
        : ROOT_CONTEXT;
      emitRequestSpans(tracer, record, costUsd, parent);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function emitRequestSpans(
  tracer: Tracer,
  record: RequestRecord,
  costUsd: number | null,
  parent: Context,
): void {
  const operation = genAiOperation(record.endpoint);
  const span = tracer.startSpan(
    spanName(operation, record.requestedModel),
    {
      kind: SpanKind.SERVER,
      startTime: record.startedAt,
      attributes: requestAttributes(record, operation, costUsd),
    },
    parent,
  );
  if (record.error) {
    span.setAttribute('error.type', record.error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.error.message });
  }
  const endTime = record.startedAt + (record.latencyMs ?? 0);
  const context = trace.setSpan(parent, span);
  for (let i = 0; i < record.attempts.length; i++) {
    emitAttemptSpan(tracer, record.attempts[i], i, operation, endTime, context);
  }
  span.end(endTime);
}

function emitAttemptSpan(
  tracer: Tracer,
  attempt: AttemptRecord,
  index: number,
  operation: string,
  requestEnd: number,
  context: Context,
): void {
  const attributes: Attributes = {
    [GEN_AI.operationName]: operation,
    [GEN_AI.providerName]: genAiProviderName(attempt.provider),
    [GEN_AI.requestModel]: attempt.model,
    'switchyard.provider': attempt.provider,
    'switchyard.attempt': index,
  };
  if (attempt.status !== undefined) attributes['http.response.status_code'] = attempt.status;
  if (attempt.ttftMs !== undefined) attributes['switchyard.ttft_ms'] = attempt.ttftMs;
  usageAttributes(attributes, attempt.usage);
  const span: Span = tracer.startSpan(
    spanName(operation, attempt.model),
    { kind: SpanKind.CLIENT, startTime: attempt.startedAt, attributes },
    context,
  );
  if (attempt.errorCode) {
    span.setAttribute('error.type', attempt.errorCode);
    span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.errorMessage });
  }
  span.end(attempt.latencyMs !== undefined ? attempt.startedAt + attempt.latencyMs : requestEnd);
}

function requestAttributes(record: RequestRecord, operation: string, costUsd: number | null): Attributes {
  const attributes: Attributes = {
    [GEN_AI.operationName]: operation,
    'switchyard.request_id': record.requestId,
    'switchyard.client_protocol': record.clientProtocol,
    'switchyard.stream': record.stream,
    'switchyard.attempts': record.attempts.length,
    'http.response.status_code': record.httpStatus,
    'url.path': record.endpoint,
  };
  if (record.requestedModel) attributes[GEN_AI.requestModel] = record.requestedModel;
  if (record.provider) attributes[GEN_AI.providerName] = genAiProviderName(record.provider);
  if (record.provider) attributes['switchyard.provider'] = record.provider;
  if (record.resolvedModel) attributes['switchyard.resolved_model'] = record.resolvedModel;
  if (record.responseModel) attributes[GEN_AI.responseModel] = record.responseModel;
  if (record.finishReason) attributes[GEN_AI.finishReasons] = [record.finishReason];
  if (costUsd !== null) attributes['switchyard.cost_usd'] = costUsd;
  if (record.ttftMs !== undefined) attributes['switchyard.ttft_ms'] = record.ttftMs;
  if (record.warnings.length > 0) attributes['switchyard.warnings'] = record.warnings;
  usageAttributes(attributes, record.usage);
  return attributes;
}

function spanName(operation: string, model: string | undefined): string {
  return model ? `${operation} ${model}` : operation;
}
