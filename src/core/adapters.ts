import type { CanonicalRequest, CanonicalResponse, Usage } from './canonical.ts';
import type { GatewayError } from './errors.ts';
import type { Operation, WireProtocol } from './protocols.ts';
import type { StreamEvent } from './stream-events.ts';

export type HeaderMap = Record<string, string | string[] | undefined>;

/** USD per million tokens. */
export interface Price {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** One configured (or environment-activated) provider account. */
export interface ProviderInstance {
  /** name used in `provider/model` strings and X-Provider, e.g. `openai`, `groq`, `my-vllm` */
  id: string;
  /** adapter type, e.g. `openai-compatible`, `anthropic` */
  type: string;
  baseUrl: string;
  /** never logged, never returned */
  apiKey?: string;
  /** extra static headers sent upstream */
  headers?: Record<string, string>;
  /** adapter-specific settings (quirks, api version, region, ...) */
  options: Record<string, unknown>;
  /** where this instance came from, for diagnostics */
  source: 'config' | 'env' | 'store';
}

/** One way of serving a model: a provider plus that provider's model id. */
export interface Deployment {
  provider: string;
  model: string;
  price?: Price;
  contextWindow?: number;
  maxOutputTokens?: number;
  weight?: number;
}

export interface Target {
  provider: ProviderInstance;
  deployment: Deployment;
  /** the model id the client asked for, resolved (aggregate id or pinned string) */
  modelId: string;
}

export interface UpstreamRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Collects parameters a provider cannot honour; they reach the client in `x-switchyard-warnings`. */
export class Warnings {
  readonly items: string[] = [];
  add(message: string): void {
    if (!this.items.includes(message)) this.items.push(message);
  }
  get size(): number {
    return this.items.length;
  }
}

export interface BuildContext {
  target: Target;
  warnings: Warnings;
  /** fetches an image URL into bytes for providers that need inline data */
  fetchImage?: (url: string) => Promise<{ mediaType: string; data: string }>;
}

export interface ProviderAdapter {
  /** adapter type name, matched by ProviderInstance.type */
  type: string;
  wireProtocol: WireProtocol;
  operations: ReadonlySet<Operation>;
  buildRequest(request: CanonicalRequest, context: BuildContext): UpstreamRequest | Promise<UpstreamRequest>;
  parseResponse(body: unknown, request: CanonicalRequest): CanonicalResponse;
  parseStream(body: AsyncIterable<Uint8Array>, request: CanonicalRequest): AsyncIterable<StreamEvent>;
  parseError(status: number, body: string, headers: HeaderMap, target: Target): GatewayError;
  /**
   * Same protocol in and out: forward the client's body with only model and auth changed.
   * `body` is the client's parsed body and may be mutated.
   */
  buildPassthroughRequest?(
    body: Record<string, unknown>,
    context: PassthroughContext,
  ): UpstreamRequest | Promise<UpstreamRequest>;
}

export interface PassthroughContext {
  target: Target;
  /** ingress path suffix, e.g. `/chat/completions`, for protocols with several endpoints */
  path: string;
  stream: boolean;
  /** the client's request headers (protocol headers such as anthropic-version/anthropic-beta may be forwarded) */
  clientHeaders: HeaderMap;
  query?: URLSearchParams;
  /** what the provider cannot take from the client's body (a dropped field) is reported here */
  warnings?: Warnings;
  /**
   * The provider's copy of the body as upstream bytes: the client's own bytes with only the top-level
   * members the provider replaced, removed or added rewritten. A provider that changes nested values in
   * place uses JSON.stringify instead.
   */
  encodeBody(body: Record<string, unknown>): string | Uint8Array;
}

/** A provider module: one folder under src/providers, registered with one line. */
export interface ProviderModule {
  adapter: ProviderAdapter;
  /** provider instances this module activates from environment variables */
  fromEnv(env: NodeJS.ProcessEnv): ProviderInstance[];
  /** builds an instance from a config-file entry whose type this module owns, or undefined */
  fromConfig?(id: string, entry: ProviderConfigEntry, env: NodeJS.ProcessEnv): ProviderInstance | undefined;
  /** provider ids (or preset names) this module owns, for config `type:` lookup */
  types: readonly string[];
}

export interface ProviderConfigEntry {
  type?: string;
  base_url?: string;
  api_key?: string;
  headers?: Record<string, string>;
  options?: Record<string, unknown>;
}

/** Observes an attempt's reply without changing it: usage for cost and traces, timing for ranking. */
export interface AttemptTap {
  onFirstByte(): void;
  onUsage(usage: Usage): void;
  onFinish(reason: string | undefined): void;
  onResponseModel(model: string): void;
}

export interface IncomingRequestInfo {
  requestId: string;
  headers: HeaderMap;
  path: string;
  query: URLSearchParams;
}

export interface EncodeContext {
  requestId: string;
  /** the model string the client sent */
  requestedModel: string;
  /** the decoded request, for protocols whose reply echoes request settings (OpenAI Responses) */
  request?: CanonicalRequest;
  /** the client asked for usage inside the stream (OpenAI `stream_options.include_usage`) */
  includeUsage?: boolean;
  /** the request's cost so far in USD (null when a price is unknown), for OpenRouter-style `usage.cost` */
  costUsd?: () => number | null;
}

/** One client protocol: decode into the canonical form, encode replies, streams and errors back. */
export interface IngressCodec {
  protocol: WireProtocol;
  decodeRequest(body: unknown, info: IncomingRequestInfo): CanonicalRequest;
  encodeResponse(response: CanonicalResponse, context: EncodeContext): unknown;
  /** SSE text frames in this protocol; ends with the protocol's own end marker or an error event */
  encodeStream(events: AsyncIterable<StreamEvent>, context: EncodeContext): AsyncIterable<string>;
  encodeError(error: GatewayError): { status: number; body: unknown };
  /** present when a provider of the same wire protocol can take the client's body as it is */
  passthrough?: PassthroughCodec;
}

/** Reads a same-protocol reply as it goes by, without re-encoding it. */
export interface PassthroughCodec {
  /**
   * Adjusts the client's body before it goes upstream (e.g. asks for usage in the stream).
   * Returns whether the gateway-added parts must be stripped from the reply. Replace top-level
   * members, never change nested values in place: the body's own bytes are kept where unchanged
   * (PassthroughContext.encodeBody).
   */
  prepareBody?(body: Record<string, unknown>, stream: boolean): { stripUsage: boolean };
  /**
   * Forwards upstream stream bytes to the client, reporting usage/finish/model to `tap`.
   * When the upstream dies or ends without its protocol's end marker, it yields this
   * protocol's own error event instead of a clean end.
   */
  tapStream(
    chunks: AsyncIterable<Uint8Array>,
    tap: AttemptTap,
    context: PassthroughStreamContext,
  ): AsyncIterable<Uint8Array | string>;
  /** reads usage, finish reason and model from a complete (non-streamed) reply body */
  tapJson(body: unknown, tap: AttemptTap): void;
}

export interface PassthroughStreamContext {
  requestId: string;
  /** the client did not ask for usage in the stream; the gateway asked for it and must strip it */
  stripUsage: boolean;
  /**
   * When given, a stream that dies, stalls, sends malformed data or ends without its protocol's end
   * marker is reported here instead of getting this protocol's error event, and the codec ends without
   * writing anything more: the caller finishes the stream (mid-stream failover, or the error event).
   */
  onBroken?: (error: GatewayError) => void;
  /** the request's cost so far in USD (null when unknown), added to the usage the client receives */
  costUsd?: () => number | null;
}
