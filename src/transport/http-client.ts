import { Agent, request, errors as undiciErrors } from 'undici';
import type { HeaderMap, UpstreamRequest } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';

export interface UpstreamReply {
  status: number;
  headers: HeaderMap;
  body: AsyncIterable<Uint8Array> & {
    text(): Promise<string>;
    json(): Promise<unknown>;
    arrayBuffer(): Promise<ArrayBuffer>;
    destroy(error?: Error): unknown;
  };
}

export interface SendOptions {
  signal?: AbortSignal;
  /** time to the response headers (first byte) */
  headersTimeoutMs?: number;
  /** idle time allowed between body chunks */
  bodyTimeoutMs?: number;
  provider?: string;
}

/** One keep-alive agent for every upstream; undici keeps a pool per origin inside it. */
const agent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connections: 256,
  pipelining: 1,
});

export async function sendUpstream(
  upstream: UpstreamRequest,
  options: SendOptions = {},
): Promise<UpstreamReply> {
  try {
    const reply = await request(upstream.url, {
      method: upstream.method,
      headers: upstream.headers,
      body: upstream.body,
      signal: options.signal,
      dispatcher: agent,
      headersTimeout: options.headersTimeoutMs ?? 300_000,
      bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    });
    return { status: reply.statusCode, headers: reply.headers as HeaderMap, body: reply.body };
  } catch (error) {
    throw mapTransportError(error, options.provider);
  }
}

/** Turns undici/socket failures into GatewayErrors; never includes URLs with credentials or headers. */
export function mapTransportError(error: unknown, provider?: string): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new GatewayError('upstream_timeout', 'Upstream did not answer in time', {
      provider,
      cause: error,
    });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError('upstream_timeout', 'Upstream stalled while sending the response', {
      provider,
      cause: error,
    });
  }
  if (isAbort(error)) {
    return new GatewayError('client_closed', 'Request aborted', { provider, cause: error });
  }
  const code = (error as { code?: string } | undefined)?.code;
  const reason = code ? ` (${code})` : '';
  return new GatewayError('upstream_connection', `Could not reach upstream${reason}`, {
    provider,
    cause: error,
  });
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'AbortError' || error instanceof undiciErrors.RequestAbortedError;
}

export async function closeTransport(): Promise<void> {
  await agent.close();
}
