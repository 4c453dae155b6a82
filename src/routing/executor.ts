import type { AttemptTap, HeaderMap, IngressCodec, Target, UpstreamRequest } from '../core/adapters.ts';
import { Warnings } from '../core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { Operation } from '../core/protocols.ts';
import type { StreamEvent } from '../core/stream-events.ts';
import { adapterFor } from '../providers/registry.ts';
import { sendUpstream, type UpstreamReply } from '../transport/http-client.ts';
import { collectResponse } from './collect-response.ts';
import type { RequestRecord } from './request-record.ts';

export interface ExecutionInput {
  targets: Target[];
  ingress: IngressCodec;
  /** the client's parsed body (never mutated; each attempt gets its own copy) */
  body: Record<string, unknown>;
  /** decodes the body into the canonical form, once, when a translated attempt needs it */
  canonical: () => CanonicalRequest;
  operation: Operation;
  /** path suffix of the ingress endpoint for passthrough (e.g. `/chat/completions`) */
  path: string;
  stream: boolean;
  clientHeaders: HeaderMap;
  query?: URLSearchParams;
  signal: AbortSignal;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  record: RequestRecord;
  /** client asked for usage inside the stream */
  includeUsage: boolean;
  /** receives the whole canonical response of a translated reply (stored responses) */
  onCanonicalResponse?: (response: CanonicalResponse) => void;
}

export type ExecutionOutcome =
  | { kind: 'json'; status: number; body: unknown; raw?: Uint8Array; target: Target; warnings: string[] }
  | { kind: 'stream'; chunks: AsyncIterable<string | Uint8Array>; target: Target; warnings: string[] }
  | { kind: 'error'; error: GatewayError; warnings: string[] };

/** Walks the targets in order: the first that answers serves the request; retryable failures fall through. */
export async function execute(input: ExecutionInput): Promise<ExecutionOutcome> {
  const capable = input.targets.filter((target) =>
    adapterFor(target.provider).operations.has(input.operation),
  );
  if (capable.length === 0) {
    const providers = [...new Set(input.targets.map((target) => target.provider.id))].join(', ');
    return {
      kind: 'error',
      warnings: [],
      error: new GatewayError(
        'unsupported_operation',
        `Provider ${providers} does not support ${input.operation}`,
        {
          details: { provider: providers, operation: input.operation },
        },
      ),
    };
  }
  let lastError: GatewayError | undefined;
  let warnings: string[] = [];
  for (let position = 0; position < capable.length; position++) {
    const target = capable[position];
    const outcome = await attempt(input, target);
    if (outcome.kind !== 'error') return outcome;
    lastError = outcome.error;
    warnings = outcome.warnings;
    const more = position < capable.length - 1;
    if (!outcome.error.retryable || !more || input.signal.aborted) break;
  }
  return { kind: 'error', error: lastError!, warnings };
}

async function attempt(input: ExecutionInput, target: Target): Promise<ExecutionOutcome> {
  const adapter = adapterFor(target.provider);
  const warnings = new Warnings();
  const tap = input.record.startAttempt(target);
  const passthrough =
    adapter.wireProtocol === input.ingress.protocol &&
    adapter.buildPassthroughRequest &&
    input.ingress.passthrough
      ? input.ingress.passthrough
      : undefined;
  let stripUsage = false;
  let upstream: UpstreamRequest;
  try {
    if (passthrough) {
      const body = { ...input.body };
      stripUsage = passthrough.prepareBody?.(body, input.stream).stripUsage ?? false;
      upstream = await adapter.buildPassthroughRequest!(body, {
        target,
        path: input.path,
        stream: input.stream,
        clientHeaders: input.clientHeaders,
        query: input.query,
      });
    } else {
      upstream = await adapter.buildRequest(input.canonical(), { target, warnings });
    }
  } catch (error) {
    const failure = asGatewayError(error, 'invalid_request');
    tap.fail(failure);
    return { kind: 'error', error: failure, warnings: warnings.items };
  }
  let reply: UpstreamReply;
  try {
    reply = await sendUpstream(upstream, {
      signal: input.signal,
      headersTimeoutMs: input.firstByteTimeoutMs,
      bodyTimeoutMs: input.idleTimeoutMs,
      provider: target.provider.id,
    });
  } catch (error) {
    const failure = asGatewayError(error, 'upstream_connection');
    tap.fail(failure);
    return { kind: 'error', error: failure, warnings: warnings.items };
  }
  if (reply.status >= 400) {
    const text = await reply.body.text().catch(() => '');
    const failure = adapter.parseError(reply.status, text, reply.headers, target);
    tap.fail(failure);
    return { kind: 'error', error: failure, warnings: warnings.items };
  }
  input.record.provider = target.provider.id;
  input.record.resolvedModel = target.deployment.model;
  if (input.stream) {
    const chunks = passthrough
      ? passthrough.tapStream(reply.body, tap, { requestId: input.record.requestId, stripUsage })
      : input.ingress.encodeStream(
          translatedEvents(input, adapter.parseStream(reply.body, input.canonical()), tap),
          {
            ...encodeContext(input),
            includeUsage: input.includeUsage,
          },
        );
    return { kind: 'stream', chunks: endAttemptWhenDone(chunks, tap), target, warnings: warnings.items };
  }
  try {
    const raw = new Uint8Array(await reply.body.arrayBuffer());
    tap.onFirstByte();
    const parsed = JSON.parse(
      Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'),
    ) as unknown;
    if (passthrough) {
      passthrough.tapJson(parsed, tap);
      tap.end();
      return { kind: 'json', status: reply.status, body: parsed, raw, target, warnings: warnings.items };
    }
    const response = adapter.parseResponse(parsed, input.canonical());
    tap.onUsage(response.usage);
    tap.onFinish(response.rawFinishReason ?? response.finishReason);
    tap.onResponseModel(response.model);
    tap.end();
    input.onCanonicalResponse?.(response);
    const body = input.ingress.encodeResponse(response, encodeContext(input));
    return { kind: 'json', status: 200, body, target, warnings: warnings.items };
  } catch (error) {
    const failure = asGatewayError(error, 'upstream_error');
    tap.fail(failure);
    return { kind: 'error', error: failure, warnings: warnings.items };
  }
}

function encodeContext(input: ExecutionInput) {
  return {
    requestId: input.record.requestId,
    requestedModel: input.record.requestedModel,
    request: input.canonical(),
  };
}

function translatedEvents(
  input: ExecutionInput,
  events: AsyncIterable<StreamEvent>,
  tap: AttemptTap,
): AsyncIterable<StreamEvent> {
  const tapped = tapEvents(events, tap);
  return input.onCanonicalResponse ? collectResponse(tapped, input.onCanonicalResponse) : tapped;
}

/** Observes canonical events for usage, first token and finish, passing each on unchanged. */
async function* tapEvents(events: AsyncIterable<StreamEvent>, tap: AttemptTap): AsyncGenerator<StreamEvent> {
  let first = true;
  for await (const event of events) {
    if (first) {
      first = false;
      tap.onFirstByte();
    }
    if (event.type === 'response-start' && event.model) tap.onResponseModel(event.model);
    else if (event.type === 'usage') tap.onUsage(event.usage);
    else if (event.type === 'response-end') {
      if (event.usage) tap.onUsage(event.usage);
      tap.onFinish(event.rawFinishReason ?? event.finishReason);
    } else if (event.type === 'error')
      (tap as AttemptTap & { fail(error: GatewayError): void }).fail(event.error);
    yield event;
  }
}

async function* endAttemptWhenDone<T>(chunks: AsyncIterable<T>, tap: { end(): void }): AsyncGenerator<T> {
  try {
    yield* chunks;
  } finally {
    tap.end();
  }
}

function asGatewayError(
  error: unknown,
  fallback: 'invalid_request' | 'upstream_connection' | 'upstream_error',
): GatewayError {
  if (error instanceof GatewayError) return error;
  const message =
    fallback === 'invalid_request'
      ? 'Could not build the upstream request'
      : 'Upstream reply could not be read';
  return new GatewayError(fallback === 'invalid_request' ? 'internal' : fallback, message, { cause: error });
}
