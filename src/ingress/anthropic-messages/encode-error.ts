// GatewayError → Anthropic error body `{type:'error', error:{type, message}}` and status.
import type { GatewayError } from '../../core/errors.ts';
import type { AnthropicMessagesErrorBody } from './wire-types.ts';

const ANTHROPIC_ERROR_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** An upstream type that is already an Anthropic error type is kept; otherwise the status decides. */
export function anthropicErrorType(error: GatewayError): string {
  if (error.upstreamType !== undefined && ANTHROPIC_ERROR_TYPES.has(error.upstreamType)) {
    return error.upstreamType;
  }
  if (error.code === 'upstream_overloaded') return 'overloaded_error';
  if (error.code === 'upstream_timeout') return 'timeout_error';
  const byStatus = TYPE_BY_STATUS[error.status];
  if (byStatus) return byStatus;
  return error.status >= 500 ? 'api_error' : 'invalid_request_error';
}

export function errorBody(error: GatewayError): AnthropicMessagesErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

export function encodeError(error: GatewayError): { status: number; body: AnthropicMessagesErrorBody } {
  return { status: error.status, body: errorBody(error) };
}
