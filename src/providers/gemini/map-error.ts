// Google RPC error bodies → GatewayError. Status kept; upstreamType is the RPC status string.
import type { HeaderMap, Target } from '../../core/adapters.ts';
import { codeForUpstreamStatus, GatewayError, parseRetryAfter } from '../../core/errors.ts';
import type { GoogleErrorBody } from './wire-types.ts';

type GoogleError = NonNullable<GoogleErrorBody['error']>;

export function parseError(status: number, body: string, headers: HeaderMap, target?: Target): GatewayError {
  return errorFromGoogleBody(readGoogleError(body), status, headers, target?.provider.id);
}

/** The `error` object of a Google error body (also when wrapped in an array), if there is one. */
export function readGoogleError(body: string): GoogleError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = (first as GoogleErrorBody | undefined)?.error;
  return typeof error === 'object' && error !== null ? error : undefined;
}

export function errorFromGoogleBody(
  error: GoogleError | undefined,
  status: number,
  headers: HeaderMap = {},
  provider?: string,
  label = 'Gemini',
): GatewayError {
  const message =
    typeof error?.message === 'string' && error.message ? error.message : `${label} returned HTTP ${status}`;
  const retryAfter = retryDelaySeconds(error) ?? parseRetryAfter(headers['retry-after']);
  return new GatewayError(codeForUpstreamStatus(status), message, {
    status,
    retryable: status === 429 || status >= 500,
    upstreamType: error?.status,
    upstreamCode: errorInfoReason(error),
    provider,
    retryAfter,
  });
}

/** `RetryInfo.retryDelay` is a protobuf Duration in JSON: "34.4s". */
function retryDelaySeconds(error: GoogleError | undefined): number | undefined {
  const info = error?.details?.find((detail) => String(detail['@type']).endsWith('google.rpc.RetryInfo'));
  const delay = info?.retryDelay;
  if (typeof delay !== 'string' || !delay.endsWith('s')) return undefined;
  const seconds = Number(delay.slice(0, -1));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** `ErrorInfo.reason`, e.g. API_KEY_INVALID. */
function errorInfoReason(error: GoogleError | undefined): string | undefined {
  const info = error?.details?.find((detail) => String(detail['@type']).endsWith('google.rpc.ErrorInfo'));
  return typeof info?.reason === 'string' ? info.reason : undefined;
}
