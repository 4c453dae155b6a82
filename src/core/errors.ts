/**
 * One error class for the whole gateway. Status, retryability and fallback eligibility
 * come from ERROR_TABLE by code; upstream errors may carry the provider's own status.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'body_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'model_not_found'
  | 'no_provider_key'
  | 'unsupported_operation'
  | 'no_capable_deployment'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'upstream_overloaded'
  | 'upstream_timeout'
  | 'upstream_connection'
  | 'upstream_stream_broken'
  | 'client_closed'
  | 'internal';

export interface ErrorSpec {
  status: number;
  /** worth retrying on the same or another deployment */
  retryable: boolean;
  /** OpenAI-style error type, the default rendering */
  type: string;
}

export const ERROR_TABLE: Record<ErrorCode, ErrorSpec> = {
  invalid_request: { status: 400, retryable: false, type: 'invalid_request_error' },
  invalid_json: { status: 400, retryable: false, type: 'invalid_request_error' },
  body_too_large: { status: 413, retryable: false, type: 'invalid_request_error' },
  unauthorized: { status: 401, retryable: false, type: 'authentication_error' },
  forbidden: { status: 403, retryable: false, type: 'permission_error' },
  not_found: { status: 404, retryable: false, type: 'not_found_error' },
  model_not_found: { status: 404, retryable: false, type: 'invalid_request_error' },
  no_provider_key: { status: 404, retryable: false, type: 'invalid_request_error' },
  unsupported_operation: { status: 422, retryable: false, type: 'invalid_request_error' },
  no_capable_deployment: { status: 422, retryable: false, type: 'invalid_request_error' },
  rate_limited: { status: 429, retryable: true, type: 'rate_limit_error' },
  upstream_error: { status: 502, retryable: false, type: 'api_error' },
  upstream_unavailable: { status: 503, retryable: true, type: 'api_error' },
  upstream_overloaded: { status: 529, retryable: true, type: 'overloaded_error' },
  upstream_timeout: { status: 504, retryable: true, type: 'timeout_error' },
  upstream_connection: { status: 502, retryable: true, type: 'api_error' },
  upstream_stream_broken: { status: 502, retryable: true, type: 'api_error' },
  client_closed: { status: 499, retryable: false, type: 'client_closed' },
  internal: { status: 500, retryable: false, type: 'api_error' },
};

export interface GatewayErrorOptions {
  /** overrides the table's status (an upstream's own status is kept) */
  status?: number;
  retryable?: boolean;
  /** provider-specific type/code, rendered when the client speaks that provider's protocol */
  upstreamType?: string;
  upstreamCode?: string | null;
  param?: string | null;
  provider?: string;
  /** seconds, from an upstream retry-after header */
  retryAfter?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly upstreamType?: string;
  readonly upstreamCode?: string | null;
  readonly param?: string | null;
  readonly provider?: string;
  readonly retryAfter?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    const spec = ERROR_TABLE[code];
    this.code = code;
    this.status = options.status ?? spec.status;
    this.retryable = options.retryable ?? spec.retryable;
    this.upstreamType = options.upstreamType;
    this.upstreamCode = options.upstreamCode;
    this.param = options.param;
    this.provider = options.provider;
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }

  get type(): string {
    return this.upstreamType ?? ERROR_TABLE[this.code].type;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** Maps an upstream HTTP status to our code, keeping the status itself on the error. */
export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'body_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'upstream_overloaded';
  if (status === 503 || status === 502 || status === 504) return 'upstream_unavailable';
  if (status >= 500) return 'upstream_unavailable';
  return 'upstream_error';
}

/** Upstream statuses worth another attempt: 408, 409, 429, 5xx, 529. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Parses a retry-after header (seconds or HTTP date) into seconds. */
export function parseRetryAfter(value: string | string[] | undefined | null): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}
