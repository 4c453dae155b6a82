// Cohere HTTP error replies (`{"message": "..."}`) → GatewayError.
import type { HeaderMap, Target } from '../../core/adapters.ts';
import { codeForUpstreamStatus, type ErrorCode, GatewayError, parseRetryAfter } from '../../core/errors.ts';

export function parseError(status: number, body: string, headers: HeaderMap, target: Target): GatewayError {
  const snippet = body.trim().slice(0, 200);
  const message = readMessage(body) ?? `Cohere returned HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  return new GatewayError(codeFor(status), message, {
    status,
    retryable: status === 429 || status >= 500,
    provider: target.provider.id,
    retryAfter: parseRetryAfter(headers['retry-after']),
  });
}

/** Cohere answers 498 for an invalid API key. */
function codeFor(status: number): ErrorCode {
  return status === 498 ? 'unauthorized' : codeForUpstreamStatus(status);
}

function readMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown } | null;
    return typeof parsed?.message === 'string' && parsed.message !== '' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
