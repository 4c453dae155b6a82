import { GatewayError } from '../../core/errors.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Reads a field by its camelCase name or its snake_case twin: the REST API accepts both on input. */
export function field(object: JsonObject, camel: string): unknown {
  const value = object[camel];
  return value !== undefined ? value : object[snakeCase(camel)];
}

/** The fields of `object` not in `known` (camelCase names), keyed by their camelCase name. */
export function otherFields(object: JsonObject, known: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const name = camelCase(key);
    if (!known.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

export function invalid(message: string): GatewayError {
  return new GatewayError('invalid_request', message);
}

export function optionalNumber(object: JsonObject, camel: string, where: string): number | undefined {
  const value = field(object, camel);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid(`${where}.${camel} must be a number`);
  return value;
}

export function optionalString(object: JsonObject, camel: string, where: string): string | undefined {
  const value = field(object, camel);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${where}.${camel} must be a string`);
  return value;
}

export function optionalBoolean(object: JsonObject, camel: string, where: string): boolean | undefined {
  const value = field(object, camel);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${where}.${camel} must be a boolean`);
  return value;
}

export function optionalObject(object: JsonObject, camel: string, where: string): JsonObject | undefined {
  const value = field(object, camel);
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid(`${where}.${camel} must be an object`);
  return value;
}

export function optionalArray(object: JsonObject, camel: string, where: string): unknown[] | undefined {
  const value = field(object, camel);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(`${where}.${camel} must be an array`);
  return value;
}
