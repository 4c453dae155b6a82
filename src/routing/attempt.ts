// One upstream attempt: build the request (passthrough when the protocols match, else translated),
// send it, map an error reply, and either finish a JSON reply or hand the open stream on.
import type {
  HeaderMap,
  IngressCodec,
  PassthroughCodec,
  ProviderAdapter,
  UpstreamRequest,
} from '../core/adapters.ts';
import { Warnings } from '../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import { adapterFor } from '../providers/registry.ts';
import type { Cancellation } from '../transport/cancellation.ts';
import { fetchImage } from '../transport/fetch-image.ts';
import { sendUpstream, type UpstreamReply } from '../transport/http-client.ts';
import { encodePassthroughBody } from '../wire/passthrough-body.ts';
import { classifyFailure } from './attempt-walker.ts';
import type { Candidate } from './candidate.ts';
import type { AttemptRecord, AttemptTracker, RequestRecord } from './request-record.ts';
import type { ModelRouter, Plan } from './router.ts';

export interface ExecutionInput {
  plan: Plan;
  router: ModelRouter;
  ingress: IngressCodec;
  /** the client's parsed body (never mutated; each attempt gets its own copy) */
  body: Record<string, unknown>;
  /** the bytes `body` was parsed from, when it is still their exact parse (passthrough keeps them) */
  rawBody?: Buffer;
  /** decodes the body into the canonical form, once, when a translated attempt needs it */
  canonical: () => CanonicalRequest;
  operation: Operation;
  /** path suffix of the ingress endpoint for passthrough (e.g. `/chat/completions`) */
  path: string;
  stream: boolean;
  clientHeaders: HeaderMap;
  query?: URLSearchParams;
  /** the client's side of the request: cancelled when it goes away */
  cancellation: Cancellation;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  record: RequestRecord;
  /** client asked for usage inside the stream */
  includeUsage: boolean;
  /** receives the whole canonical response of a translated reply (stored responses) */
  onCanonicalResponse?: (response: CanonicalResponse) => void;
  /** the request's cost so far, for protocols that report it in the reply (OpenAI `usage.cost`) */
  costSoFar?: () => number | null;
}

export type AttemptTapHandle = AttemptTracker;

export interface OpenStream {
  kind: 'stream';
  candidate: Candidate;
  adapter: ProviderAdapter;
  tap: AttemptTapHandle;
  reply: UpstreamReply;
  /** set when the client's bytes go through as they are */
  passthrough?: PassthroughCodec;
  stripUsage: boolean;
  /** the canonical request this attempt sent (translated attempts) */
  request?: CanonicalRequest;
  warnings: string[];
}

export type Opened =
  | OpenStream
  | {
      kind: 'json';
      status: number;
      body: unknown;
      raw?: Uint8Array;
      candidate: Candidate;
      warnings: string[];
    }
  | { kind: 'error'; error: GatewayError; candidate: Candidate; warnings: string[] };

/**
 * Starts an attempt on `candidate`. `continuation` (a mid-stream failover) forces the translated path
 * with that request; otherwise same-protocol deployments take the client's body as it is.
 */
export async function openAttempt(
  input: ExecutionInput,
  candidate: Candidate,
  continuation?: CanonicalRequest,
): Promise<Opened> {
  const target = candidate.target;
  const adapter = adapterFor(target.provider);
  const warnings = new Warnings();
  const tap = input.record.startAttempt(target);
  const passthrough = continuation ? undefined : passthroughFor(input.ingress, adapter);
  let built: Built;
  try {
    built = await buildUpstream(input, candidate, adapter, passthrough, warnings, continuation);
  } catch (error) {
    return failed(input, candidate, tap, asGatewayError(error, 'build'), warnings);
  }
  let reply: UpstreamReply;
  try {
    reply = await sendUpstream(built.upstream, {
      cancellation: input.cancellation,
      headersTimeoutMs: input.plan.firstByteTimeoutMs ?? input.firstByteTimeoutMs,
      bodyTimeoutMs: input.plan.idleTimeoutMs ?? input.idleTimeoutMs,
      provider: target.provider.id,
    });
  } catch (error) {
    return failed(input, candidate, tap, asGatewayError(error, 'connect'), warnings);
  }
  if (reply.status >= 400) {
    const text = await reply.body.text().catch(() => '');
    const error = adapter.parseError(reply.status, text, reply.headers, target);
    return failed(input, candidate, tap, error, warnings);
  }
  input.record.provider = target.provider.id;
  input.record.resolvedModel = target.deployment.model;
  if (!input.stream) return readJson(input, candidate, adapter, tap, reply, passthrough, warnings);
  const { stripUsage, request } = built;
  return {
    kind: 'stream',
    candidate,
    adapter,
    tap,
    reply,
    passthrough,
    stripUsage,
    request,
    warnings: warnings.items,
  };
}

interface Built {
  upstream: UpstreamRequest;
  stripUsage: boolean;
  /** the canonical request sent (translated attempts) */
  request?: CanonicalRequest;
}

async function buildUpstream(
  input: ExecutionInput,
  candidate: Candidate,
  adapter: ProviderAdapter,
  passthrough: PassthroughCodec | undefined,
  warnings: Warnings,
  continuation?: CanonicalRequest,
): Promise<Built> {
  const target = candidate.target;
  if (!passthrough) {
    const request = continuation ?? input.canonical();
    return {
      upstream: await adapter.buildRequest(request, { target, warnings, fetchImage }),
      stripUsage: false,
      request,
    };
  }
  const original = input.body;
  const body = { ...original };
  const stripUsage = passthrough.prepareBody?.(body, input.stream).stripUsage ?? false;
  const upstream = await adapter.buildPassthroughRequest!(body, {
    target,
    path: input.path,
    stream: input.stream,
    clientHeaders: input.clientHeaders,
    query: input.query,
    warnings,
    encodeBody: (edited) =>
      input.rawBody ? encodePassthroughBody(input.rawBody, original, edited) : JSON.stringify(edited),
  });
  return { upstream, stripUsage };
}

function passthroughFor(ingress: IngressCodec, adapter: ProviderAdapter): PassthroughCodec | undefined {
  return adapter.wireProtocol === ingress.protocol && adapter.buildPassthroughRequest && ingress.passthrough
    ? ingress.passthrough
    : undefined;
}

async function readJson(
  input: ExecutionInput,
  candidate: Candidate,
  adapter: ProviderAdapter,
  tap: AttemptTapHandle,
  reply: UpstreamReply,
  passthrough: PassthroughCodec | undefined,
  warnings: Warnings,
): Promise<Opened> {
  try {
    const raw = await reply.body.bytes();
    tap.onFirstByte();
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    if (passthrough) {
      passthrough.tapJson(parsed, tap);
      finishAttempt(input.router, candidate, tap);
      return { kind: 'json', status: reply.status, body: parsed, raw, candidate, warnings: warnings.items };
    }
    const canonical = input.canonical();
    const response = adapter.parseResponse(parsed, canonical);
    tap.onUsage(response.usage);
    tap.onFinish(response.rawFinishReason ?? response.finishReason);
    tap.onResponseModel(response.model);
    finishAttempt(input.router, candidate, tap);
    input.onCanonicalResponse?.(response);
    const body = input.ingress.encodeResponse(response, encodeContext(input));
    return { kind: 'json', status: 200, body, candidate, warnings: warnings.items };
  } catch (error) {
    return failed(input, candidate, tap, asGatewayError(error, 'read'), warnings);
  }
}

export function encodeContext(input: ExecutionInput) {
  return {
    requestId: input.record.requestId,
    requestedModel: input.record.requestedModel,
    request: input.canonical(),
    costUsd: input.costSoFar,
  };
}

function failed(
  input: ExecutionInput,
  candidate: Candidate,
  tap: AttemptTapHandle,
  error: GatewayError,
  warnings: Warnings,
): Opened {
  failAttempt(input.router, candidate, tap, error);
  return { kind: 'error', error, candidate, warnings: warnings.items };
}

/** Ends a successful attempt and teaches the health store its timing. */
export function finishAttempt(
  router: ModelRouter,
  candidate: Candidate,
  tap: AttemptTapHandle,
  streamed = false,
): void {
  tap.end();
  const attempt = tap.attempt;
  const now = router.now();
  if (streamed) {
    router.health.recordSuccess(
      candidate.key,
      { ttftMs: attempt.ttftMs, tokensPerSecond: speedOf(attempt) },
      now,
    );
    return;
  }
  router.health.recordSuccess(candidate.key, { ttftMs: estimatedTtft(router, candidate, attempt) }, now);
}

/** Records a failed attempt; transient and deployment failures count against the deployment's health. */
export function failAttempt(
  router: ModelRouter,
  candidate: Candidate,
  tap: AttemptTapHandle,
  error: GatewayError,
): void {
  tap.fail(error);
  if (classifyFailure(error) === 'stop') return;
  const pause = error.retryAfter !== undefined && error.retryAfter > 0 ? error.retryAfter * 1000 : undefined;
  router.health.recordFailure(candidate.key, router.now(), pause);
}

const MIN_GENERATION_MS = 50;
const MIN_SPEED_TOKENS = 4;

/** Output tokens per second while streaming (after the first token), when measurable. */
function speedOf(attempt: AttemptRecord): number | undefined {
  const output = attempt.usage?.outputTokens;
  if (!output || output < MIN_SPEED_TOKENS || attempt.latencyMs === undefined || attempt.ttftMs === undefined)
    return undefined;
  const generating = attempt.latencyMs - attempt.ttftMs;
  return generating >= MIN_GENERATION_MS ? (output * 1000) / generating : undefined;
}

/** A whole (non-streamed) reply hides its first token: estimate it from the known output speed. */
function estimatedTtft(
  router: ModelRouter,
  candidate: Candidate,
  attempt: AttemptRecord,
): number | undefined {
  if (attempt.latencyMs === undefined) return undefined;
  const speed = router.health.get(candidate.key)?.tokensPerSecond ?? candidate.prior.tokensPerSecond;
  const generating = ((attempt.usage?.outputTokens ?? 0) * 1000) / speed;
  return Math.max(attempt.latencyMs / 4, attempt.latencyMs - generating);
}

function asGatewayError(error: unknown, stage: 'build' | 'connect' | 'read'): GatewayError {
  if (error instanceof GatewayError) return error;
  if (stage === 'build')
    return new GatewayError('internal', 'Could not build the upstream request', { cause: error });
  if (stage === 'connect')
    return new GatewayError('upstream_connection', 'Could not reach upstream', { cause: error });
  return new GatewayError('upstream_error', 'Upstream reply could not be read', { cause: error });
}
