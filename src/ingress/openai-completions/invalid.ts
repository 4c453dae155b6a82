import { GatewayError } from '../../core/errors.ts';

/** A 400 in OpenAI's shape, naming the offending parameter. */
export function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}
