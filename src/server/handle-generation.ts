import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap, IngressCodec } from '../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import { requirementsFromBody, requirementsFromCanonical } from '../routing/capabilities.ts';
import { type ExecutionInput, type ExecutionOutcome, execute } from '../routing/executor.ts';
import type { RequestRecord } from '../routing/request-record.ts';
import { type RequestRouting, takeRequestRouting } from '../routing/request-routing.ts';
import { routeHeader } from '../routing/route-decision.ts';
import type { Plan } from '../routing/router.ts';
import { Cancellation } from '../transport/cancellation.ts';
import { insertUsageField } from '../wire/insert-usage-field.ts';
import { costSoFar, requestCost } from './record-to-trace.ts';
import type { ResponseHeaders } from './respond.ts';
import { sendJson, sendStream } from './respond.ts';
import type { Runtime } from './runtime.ts';
import { encodeWarnings } from './warnings-header.ts';

export interface GenerationCall {
  runtime: Runtime;
  request: IncomingMessage;
  response: ServerResponse;
  record: RequestRecord;
  ingress: IngressCodec;
  body: Record<string, unknown>;
  /** the bytes `body` was parsed from; pass them only while `body` is still their exact parse */
  rawBody?: Buffer;
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

/** Plans the route, runs the attempts and writes the reply in the client's protocol. */
export async function handleGeneration(call: GenerationCall): Promise<void> {
  const { runtime, response, record } = call;
  record.requestedModel = call.model;
  record.stream = call.stream;
  const headers: ResponseHeaders = { 'x-request-id': record.requestId, 'x-switchyard-attempts': 0 };
  let canonical: CanonicalRequest | undefined;
  const decode = () => {
    canonical ??= withoutRoutingFields(call.decode());
    return canonical;
  };
  let plan: Plan;
  try {
    const routing = takeRequestRouting(call.body);
    // `models`/`provider` were taken out of the body: its bytes no longer match it
    if (routing) call.rawBody = undefined;
    plan = planFor(call, routing, decode);
    if (routing?.warnings.length) record.warnings = routing.warnings;
  } catch (error) {
    throw withHeaders(error, headers);
  }
  record.resolvedModel = plan.modelId;
  const cancellation = new Cancellation();
  const abortOnClose = () => {
    if (!response.writableFinished) cancellation.cancel();
  };
  response.on('close', abortOnClose);
  const outcome = await execute(executionInput(call, plan, decode, cancellation));
  addOutcomeHeaders(call, plan, outcome, headers);
  if (outcome.kind !== 'stream') response.off('close', abortOnClose);
  if (outcome.kind === 'error') throw withHeaders(outcome.error, headers);
  if (outcome.kind === 'json') {
    // every attempt is over: this is the request's cost, kept on the record for traces and metrics
    const cost = requestCost(runtime.registry, record);
    headers['x-switchyard-cost-usd'] = formatCost(cost);
    const payload = REPORTS_COST.has(call.ingress.protocol)
      ? withUsageCost(outcome.body, outcome.raw, cost)
      : (outcome.raw ?? outcome.body);
    sendJson(response, outcome.status, payload, headers);
    record.complete();
    return;
  }
  runtime.metrics?.streamStarted();
  try {
    await sendStream(response, outcome.chunks, headers, call.streamContentType);
  } finally {
    runtime.metrics?.streamEnded();
    response.off('close', abortOnClose);
    record.complete(
      cancellation.cancelled ? new GatewayError('client_closed', 'Client closed the stream') : undefined,
    );
  }
}

/** OpenAI-protocol clients get an OpenRouter-style `usage.cost` in the body (the last chunk when streaming). */
const REPORTS_COST: ReadonlySet<string> = new Set(['openai-chat', 'openai-completions', 'openai-responses']);

/**
 * The reply with `usage.cost` (USD; null when a price is unknown) when it carries usage. A passthrough
 * reply keeps the upstream's bytes, the field written into them; a translated one is serialised anyway.
 */
function withUsageCost(body: unknown, raw: Uint8Array | undefined, cost: number | null): unknown {
  const usage = (body as { usage?: unknown } | null)?.usage;
  if (!usage || typeof usage !== 'object') return raw ?? body;
  if (raw && !('cost' in usage)) {
    const written = insertUsageField(raw, 'cost', JSON.stringify(cost));
    if (written) return written;
  }
  (usage as Record<string, unknown>).cost = cost;
  return body;
}

function formatCost(cost: number | null): string {
  if (cost === null) return 'unknown';
  // rounded to 12 decimals (no float noise such as 0.30000000000000004); String() writes decimals from 1e-6 up
  const rounded = Math.round(cost * 1e12) / 1e12;
  return rounded === 0 || rounded >= 1e-6 ? String(rounded) : rounded.toFixed(12).replace(/0+$/, '');
}

function executionInput(
  call: GenerationCall,
  plan: Plan,
  decode: () => CanonicalRequest,
  cancellation: Cancellation,
): ExecutionInput {
  const { runtime, request, record } = call;
  return {
    plan,
    router: runtime.router,
    ingress: call.ingress,
    body: call.body,
    rawBody: call.rawBody,
    canonical: decode,
    operation: call.operation,
    path: call.path,
    stream: call.stream,
    clientHeaders: request.headers as HeaderMap,
    query: call.query,
    cancellation,
    firstByteTimeoutMs: runtime.settings.firstByteTimeoutMs,
    idleTimeoutMs: runtime.settings.idleTimeoutMs,
    record,
    includeUsage: call.includeUsage,
    onCanonicalResponse: call.onCanonicalResponse,
    costSoFar: REPORTS_COST.has(call.ingress.protocol)
      ? () => costSoFar(runtime.registry, record)
      : undefined,
  };
}

/** Attempts, warnings, the route on request (`x-switchyard-debug: route`), provider and model. */
function addOutcomeHeaders(
  call: GenerationCall,
  plan: Plan,
  outcome: ExecutionOutcome,
  headers: ResponseHeaders,
) {
  const record = call.record;
  const warnings = [...record.warnings, ...outcome.warnings];
  record.warnings = warnings;
  headers['x-switchyard-attempts'] = record.attempts.length;
  if (warnings.length) headers['x-switchyard-warnings'] = encodeWarnings(warnings);
  if (wantsRouteDebug(call.request.headers['x-switchyard-debug']))
    headers['x-switchyard-route'] = routeHeader(plan.route);
  if (outcome.kind === 'error') return;
  headers['x-switchyard-provider'] = outcome.target.provider.id;
  headers['x-switchyard-model'] =
    outcome.kind === 'json'
      ? record.responseModel || outcome.target.deployment.model
      : outcome.target.deployment.model;
}

function planFor(
  call: GenerationCall,
  routing: RequestRouting | undefined,
  decode: () => CanonicalRequest,
): Plan {
  const forced = headerValue(call.request.headers['x-provider']);
  return call.runtime.router.plan({
    model: call.model,
    forcedProvider: forced,
    routing,
    operation: call.operation,
    // Passthrough-capable protocols are read from the body (no decoding on the fast path).
    needs: () =>
      call.ingress.passthrough ? requirementsFromBody(call.body) : requirementsFromCanonical(decode()),
  });
}

/** `models` and `provider` are routing controls: never forwarded, never reported as unknown fields. */
function withoutRoutingFields(request: CanonicalRequest): CanonicalRequest {
  if (!('models' in request.extra) && !('provider' in request.extra)) return request;
  const { models: _models, provider: _provider, ...extra } = request.extra;
  return { ...request, extra };
}

function withHeaders(error: unknown, headers: ResponseHeaders): unknown {
  if (!(error instanceof GatewayError)) return error;
  const existing = (error as GatewayError & { responseHeaders?: ResponseHeaders }).responseHeaders;
  return Object.assign(error, { responseHeaders: { ...existing, ...headers } });
}

function wantsRouteDebug(value: string | string[] | undefined): boolean {
  const single = Array.isArray(value) ? value.join(',') : value;
  return single?.split(',').some((part) => part.trim().toLowerCase() === 'route') === true;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}
