import { Agent, type Dispatcher, errors as undiciErrors, util as undiciUtil } from 'undici';
import type { HeaderMap, UpstreamRequest } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import type { Cancellation, CancelTarget } from './cancellation.ts';
import { ReplyBody } from './reply-body.ts';

export interface UpstreamReply {
  status: number;
  /** parsed on first read: the passthrough path never needs them */
  readonly headers: HeaderMap;
  body: ReplyBody;
}

export interface SendOptions {
  /** the client's request: when it is cancelled, the upstream call is aborted */
  cancellation?: Cancellation;
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

/**
 * Resolves once the upstream's response headers arrive; the body is then read from `reply.body`.
 * Goes through undici's dispatcher directly rather than `request()`: no Readable stream, no async
 * resource and no header object per response, which is a measurable share of a passthrough request.
 */
export function sendUpstream(upstream: UpstreamRequest, options: SendOptions = {}): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const { cancellation } = options;
    if (cancellation?.cancelled) {
      reject(mapTransportError(cancellation.reason, options.provider));
      return;
    }
    const { origin, path } = splitUrl(upstream.url);
    const handler = new ReplyHandler(resolve, reject, options);
    try {
      agent.dispatch(
        {
          origin,
          path,
          method: upstream.method as Dispatcher.HttpMethod,
          headers: upstream.headers as Record<string, string>,
          body: upstream.body,
          headersTimeout: options.headersTimeoutMs ?? 300_000,
          bodyTimeout: options.bodyTimeoutMs ?? 300_000,
        },
        handler,
      );
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}

class Reply implements UpstreamReply {
  readonly status: number;
  readonly body: ReplyBody;
  readonly #rawHeaders: Buffer[];
  #headers: HeaderMap | undefined;

  constructor(status: number, rawHeaders: Buffer[], body: ReplyBody) {
    this.status = status;
    this.#rawHeaders = rawHeaders;
    this.body = body;
  }

  get headers(): HeaderMap {
    this.#headers ??= undiciUtil.parseHeaders(this.#rawHeaders) as HeaderMap;
    return this.#headers;
  }
}

/** undici's own handler protocol (the one its `request()` is built on). */
class ReplyHandler implements Dispatcher.DispatchHandler, CancelTarget {
  readonly #resolve: (reply: UpstreamReply) => void;
  readonly #reject: (error: GatewayError) => void;
  readonly #options: SendOptions;
  #abort: ((reason: Error) => void) | undefined;
  /** an abort that came before undici handed over its abort function (request still queued) */
  #abortReason: Error | undefined;
  #body: ReplyBody | undefined;
  #settled = false;

  constructor(
    resolve: (reply: UpstreamReply) => void,
    reject: (error: GatewayError) => void,
    options: SendOptions,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#options = options;
    options.cancellation?.register(this);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.#abort = abort;
    if (this.#abortReason) abort(this.#abortReason);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: the real answer follows
    this.#body = new ReplyBody(this, resume);
    this.#settled = true;
    this.#resolve(new Reply(statusCode, rawHeaders, this.#body));
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.#body ? this.#body.push(chunk) : true;
  }

  onComplete(): void {
    this.#options.cancellation?.unregister(this);
    this.#body?.end();
  }

  onError(error: Error): void {
    this.#options.cancellation?.unregister(this);
    if (this.#body) this.#body.fail(error);
    else if (!this.#settled) {
      this.#settled = true;
      this.#reject(mapTransportError(error, this.#options.provider));
    }
  }

  /** The client went away, or the body's reader stopped: abort the upstream request. */
  cancel(reason: Error): void {
    this.#options.cancellation?.unregister(this);
    if (this.#abort) this.#abort(reason);
    else this.#abortReason = reason;
  }
}

/** `https://host:port/a/b?c` → origin and path without building a URL object; unusual URLs go through URL. */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  if (slash > 0) {
    const origin = url.slice(0, slash);
    const path = url.slice(slash);
    if (!origin.includes('@') && SAFE_PATH.test(path)) return { origin, path };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/** what undici accepts in a path as it is; anything else (spaces, non-ASCII, a fragment) is normalised by URL */
const SAFE_PATH = /^\/[\x21-\x22\x24-\x7e]*$/;

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
