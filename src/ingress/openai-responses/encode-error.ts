import type { GatewayError } from '../../core/errors.ts';

/** OpenAI's error object; an upstream's own type and code are kept when it had them. */
export function errorBody(error: GatewayError): { error: Record<string, unknown> } {
  return {
    error: {
      message: error.message,
      type: error.type,
      param: error.param ?? null,
      code: error.upstreamCode ?? error.code,
    },
  };
}

export function encodeError(error: GatewayError): { status: number; body: unknown } {
  return { status: error.status, body: errorBody(error) };
}
