import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap, IngressCodec } from '../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import { execute } from '../routing/executor.ts';
import type { RequestRecord } from '../routing/request-record.ts';
import type { ResponseHeaders } from './respond.ts';
import { sendJson, sendStream } from './respond.ts';
import type { Runtime } from './runtime.ts';

export interface GenerationCall {
  runtime: Runtime;
  request: IncomingMessage;
  response: ServerResponse;
  record: RequestRecord;
  ingress: IngressCodec;
  body: Record<string, unknown>;
  /** the model string (from the body, or from the URL for Gemini/Azure paths) */
  model: string;
  stream: boolean;
  includeUsage: boolean;
  operation: Operation;
  /** ingress path suffix used for same-protocol passthrough */
  path: string;
  query?: URLSearchParams;
  /** validates/decodes the body into canonical form (called lazily, at most once) */
  decode: () => CanonicalRequest;
  /** content type of a streamed reply (Gemini's JSON-array stream is not SSE) */
  streamContentType?: string;
  /** receives the whole canonical response of a translated reply */
  onCanonicalResponse?: (response: CanonicalResponse) => void;
}

/** Resolves the model, runs the attempts and writes the reply in the client's protocol. */
export async function handleGeneration(call: GenerationCall): Promise<void> {
  const { runtime, request, response, record } = call;
  record.requestedModel = call.model;
  record.stream = call.stream;
  const forced = headerValue(request.headers['x-provider']);
  const resolution = runtime.registry.resolve(call.model, forced);
  record.resolvedModel = resolution.modelId;
  let canonical: CanonicalRequest | undefined;
  const controller = new AbortController();
  const abortOnClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.on('close', abortOnClose);
  const outcome = await execute({
    targets: resolution.targets,
    ingress: call.ingress,
    body: call.body,
    canonical: () => {
      canonical ??= call.decode();
      return canonical;
    },
    operation: call.operation,
    path: call.path,
    stream: call.stream,
    clientHeaders: request.headers as HeaderMap,
    query: call.query,
    signal: controller.signal,
    firstByteTimeoutMs: runtime.settings.firstByteTimeoutMs,
    idleTimeoutMs: runtime.settings.idleTimeoutMs,
    record,
    includeUsage: call.includeUsage,
    onCanonicalResponse: call.onCanonicalResponse,
  });
  record.warnings = outcome.warnings;
  const headers: ResponseHeaders = {
    'x-request-id': record.requestId,
    'x-switchyard-attempts': record.attempts.length,
  };
  if (outcome.warnings.length) headers['x-switchyard-warnings'] = encodeWarnings(outcome.warnings);
  if (outcome.kind === 'error') throw Object.assign(outcome.error, { responseHeaders: headers });
  headers['x-switchyard-provider'] = outcome.target.provider.id;
  if (outcome.kind === 'json') {
    headers['x-switchyard-model'] = record.responseModel || outcome.target.deployment.model;
    sendJson(response, outcome.status, outcome.raw ?? outcome.body, headers);
    record.complete();
    return;
  }
  headers['x-switchyard-model'] = outcome.target.deployment.model;
  runtime.metrics?.streamStarted();
  try {
    await sendStream(response, outcome.chunks, headers, call.streamContentType);
  } finally {
    runtime.metrics?.streamEnded();
    response.off('close', abortOnClose);
    record.complete(
      controller.signal.aborted ? new GatewayError('client_closed', 'Client closed the stream') : undefined,
    );
  }
}

/** Header values must be ASCII without newlines; warnings are joined with "; ". */
function encodeWarnings(warnings: string[]): string {
  return warnings.join('; ').replace(/[^\x20-\x7e]/g, '?');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}
