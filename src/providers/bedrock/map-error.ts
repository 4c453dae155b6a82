import type { HeaderMap, Target } from '../../core/adapters.ts';
import { codeForUpstreamStatus, type ErrorCode, GatewayError, parseRetryAfter } from '../../core/errors.ts';

/** Bedrock error names (HTTP `x-amzn-errortype`, stream `:exception-type`) → code and status. */
const EXCEPTIONS: Record<string, { code: ErrorCode; status: number }> = {
  ValidationException: { code: 'invalid_request', status: 400 },
  AccessDeniedException: { code: 'forbidden', status: 403 },
  ResourceNotFoundException: { code: 'not_found', status: 404 },
  ModelTimeoutException: { code: 'upstream_timeout', status: 408 },
  ModelErrorException: { code: 'upstream_error', status: 424 },
  ModelStreamErrorException: { code: 'upstream_error', status: 424 },
  ThrottlingException: { code: 'rate_limited', status: 429 },
  ModelNotReadyException: { code: 'upstream_unavailable', status: 429 },
  InternalServerException: { code: 'upstream_unavailable', status: 500 },
  ServiceUnavailableException: { code: 'upstream_unavailable', status: 503 },
};

/** Timeouts, throttling and server-side failures are worth another attempt. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `ValidationException:http://internal.amazon.com/coral/…` → `ValidationException`; stream names are camelCase. */
export function exceptionName(raw: string): string {
  const name = raw.split(':')[0].trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function messageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return body.trim() === '' ? undefined : body.trim().slice(0, 500);
  }
}

/** An HTTP error reply from Bedrock; the upstream status is kept. */
export function parseError(status: number, body: string, headers: HeaderMap, target: Target): GatewayError {
  const typeHeader = header(headers, 'x-amzn-errortype');
  const upstreamType = typeHeader ? exceptionName(typeHeader) : undefined;
  const message = messageOf(body) ?? `Bedrock returned HTTP ${status}`;
  return new GatewayError(codeForUpstreamStatus(status), message, {
    status,
    retryable: retryableStatus(status),
    upstreamType,
    provider: target.provider.id,
    retryAfter: parseRetryAfter(header(headers, 'retry-after')),
  });
}

/**
 * An exception frame in a ConverseStream (`:message-type` exception). Throttling, unavailable and
 * internal errors (and model timeouts) are retryable; unknown exceptions are not.
 */
export function streamExceptionError(exceptionType: string, payload: string): GatewayError {
  const upstreamType = exceptionName(exceptionType);
  const known = Object.hasOwn(EXCEPTIONS, upstreamType) ? EXCEPTIONS[upstreamType] : undefined;
  const message = messageOf(payload) ?? `Bedrock stream failed with ${upstreamType}`;
  if (!known) return new GatewayError('upstream_error', message, { retryable: false, upstreamType });
  return new GatewayError(known.code, message, {
    status: known.status,
    retryable: retryableStatus(known.status),
    upstreamType,
  });
}
