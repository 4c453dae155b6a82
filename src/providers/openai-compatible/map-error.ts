import type { HeaderMap, Target } from '../../core/adapters.ts';
import {
  codeForUpstreamStatus,
  GatewayError,
  isRetryableStatus,
  parseRetryAfter,
} from '../../core/errors.ts';

interface OpenAIErrorBody {
  error?: { message?: string; type?: string; code?: string | number | null; param?: string | null } | string;
  message?: string;
  detail?: string;
}

/** An OpenAI-shaped error body (or the looser shapes compatible hosts send) → GatewayError. */
export function errorFromBody(
  body: unknown,
  status: number,
  provider?: string,
  retryAfter?: number,
): GatewayError {
  const parsed = (body ?? {}) as OpenAIErrorBody;
  const error = typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined;
  const message =
    error?.message ??
    (typeof parsed.error === 'string' ? parsed.error : undefined) ??
    parsed.message ??
    parsed.detail ??
    `Upstream returned HTTP ${status}`;
  const code = error?.code === undefined || error.code === null ? null : String(error.code);
  // insufficient_quota is a 429 that no retry will fix.
  const retryable = code === 'insufficient_quota' ? false : isRetryableStatus(status);
  return new GatewayError(codeForUpstreamStatus(status), message, {
    status,
    retryable,
    upstreamType: error?.type,
    upstreamCode: code,
    param: error?.param ?? null,
    provider,
    retryAfter,
  });
}

export function parseError(status: number, text: string, headers: HeaderMap, target: Target): GatewayError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { message: text.slice(0, 500) || undefined };
  }
  return errorFromBody(body, status, target.provider.id, parseRetryAfter(headers['retry-after']));
}
