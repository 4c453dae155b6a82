import type { HeaderMap } from '../../core/adapters.ts';
import {
  codeForUpstreamStatus,
  type ErrorCode,
  GatewayError,
  isRetryableStatus,
  parseRetryAfter,
} from '../../core/errors.ts';

/** Anthropic `error.type` → the HTTP status Anthropic documents for it. */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

interface ErrorFields {
  type?: string;
  message?: string;
  requestId?: string;
}

function readErrorBody(body: string): ErrorFields {
  try {
    const parsed = JSON.parse(body) as {
      error?: { type?: unknown; message?: unknown };
      request_id?: unknown;
    };
    const error = parsed?.error;
    return {
      type: typeof error?.type === 'string' ? error.type : undefined,
      message: typeof error?.message === 'string' ? error.message : undefined,
      requestId: typeof parsed?.request_id === 'string' ? parsed.request_id : undefined,
    };
  } catch {
    return {};
  }
}

function codeFor(status: number, type: string | undefined): ErrorCode {
  if (type === 'overloaded_error') return 'upstream_overloaded';
  if (type === 'rate_limit_error') return 'rate_limited';
  if (type === 'timeout_error') return 'upstream_timeout';
  return codeForUpstreamStatus(status);
}

function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An HTTP error reply from Anthropic → GatewayError keeping Anthropic's status and error type. */
export function parseAnthropicError(
  status: number,
  body: string,
  headers: HeaderMap,
  provider?: string,
): GatewayError {
  const fields = readErrorBody(body);
  const snippet = body.trim().slice(0, 200);
  const message = fields.message ?? `Anthropic returned HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  const requestId = fields.requestId ?? headerValue(headers, 'request-id');
  return new GatewayError(codeFor(status, fields.type), message, {
    status,
    retryable: isRetryableStatus(status),
    upstreamType: fields.type,
    provider,
    retryAfter: parseRetryAfter(headers['retry-after']),
    details: requestId ? { requestId } : undefined,
  });
}

/** An `event: error` inside a stream → GatewayError with the status Anthropic uses for that type. */
export function anthropicStreamError(payload: unknown, provider?: string): GatewayError {
  const error = (payload as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  const type = typeof error?.type === 'string' ? error.type : 'api_error';
  const message = typeof error?.message === 'string' ? error.message : 'Anthropic reported a stream error';
  const status = STATUS_BY_ERROR_TYPE[type] ?? 500;
  return new GatewayError(codeFor(status, type), message, {
    status,
    retryable: isRetryableStatus(status),
    upstreamType: type,
    provider,
  });
}

/**
 * The response body failed while it was being read (socket closed, body timeout). Returns
 * undefined for aborts, which the caller started and must see as they are.
 */
export function anthropicBodyError(error: unknown, provider?: string): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return undefined;
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError('upstream_timeout', 'Anthropic stream stalled', { provider, cause: error });
  }
  const reason = code ? ` (${code})` : '';
  return new GatewayError('upstream_stream_broken', `Anthropic stream broke off${reason}`, {
    provider,
    cause: error,
  });
}
