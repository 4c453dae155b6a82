import type { GatewayError } from '../../core/errors.ts';
import type { GeminiErrorBody } from './wire-types.ts';

/** google.rpc.Code names, as the Gemini API puts them in `error.status`. */
const RPC_STATUSES = new Set([
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'OUT_OF_RANGE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ABORTED',
  'ALREADY_EXISTS',
  'RESOURCE_EXHAUSTED',
  'CANCELLED',
  'DATA_LOSS',
  'UNKNOWN',
  'INTERNAL',
  'UNIMPLEMENTED',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
]);

export function rpcStatusFor(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'ABORTED';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 499) return 'CANCELLED';
  if (status === 408 || status === 504) return 'DEADLINE_EXCEEDED';
  if (status === 502 || status === 503 || status === 529) return 'UNAVAILABLE';
  if (status === 501) return 'UNIMPLEMENTED';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_ARGUMENT';
}

/**
 * Renders an error as the Google RPC status body. A Gemini upstream's own status name (upstreamType) is kept;
 * a retry-after hint becomes google.rpc.RetryInfo, where Gemini clients look for it.
 */
export function encodeGeminiError(error: GatewayError): { status: number; body: GeminiErrorBody } {
  const upstream = error.upstreamType;
  const status = upstream !== undefined && RPC_STATUSES.has(upstream) ? upstream : rpcStatusFor(error.status);
  const body: GeminiErrorBody = { error: { code: error.status, message: error.message, status } };
  if (error.retryAfter !== undefined) {
    body.error.details = [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(error.retryAfter)}s` },
    ];
  }
  return { status: error.status, body };
}
