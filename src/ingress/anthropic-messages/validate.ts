// Light guards for the hot path: each failure is a GatewayError('invalid_request') naming the parameter.
import { GatewayError } from '../../core/errors.ts';

export type JsonObject = Record<string, unknown>;

export function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, param: string): JsonObject {
  if (!isObject(value)) throw invalid(param, 'must be an object');
  return value;
}

export function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(param, 'must be a string');
  return value;
}

export function requireNonEmptyString(value: unknown, param: string): string {
  if (value === undefined || value === null) throw invalid(param, 'field required');
  const text = requireString(value, param);
  if (text.length === 0) throw invalid(param, 'must be a non-empty string');
  return text;
}

export function requireArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(param, 'must be an array');
  return value;
}

export function optionalNumber(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(param, 'must be a number');
  return value;
}

export function optionalInteger(value: unknown, param: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(param, 'must be an integer');
  if (value < min) throw invalid(param, `must be greater than or equal to ${min}`);
  return value;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(param, 'must be a boolean');
  return value;
}

export function optionalStringArray(value: unknown, param: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = requireArray(value, param);
  return items.map((item, i) => requireString(item, `${param}.${i}`));
}
