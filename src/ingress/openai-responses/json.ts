import { GatewayError } from '../../core/errors.ts';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request the client got wrong: 400 with the offending parameter named. */
export function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

/** A valid Responses request Switchyard cannot carry to other providers: 422, never a silent drop. */
export function unsupported(message: string, param: string): GatewayError {
  return new GatewayError('unsupported_operation', message, { param });
}

export function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(`'${param}' must be a string`, param);
  return value;
}

export function optionalNumber(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`'${key}' must be a number`, key);
  return value;
}

export function optionalBoolean(body: Json, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`'${key}' must be a boolean`, key);
  return value;
}
