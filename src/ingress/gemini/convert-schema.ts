import { isObject, type JsonObject } from './read-field.ts';

/** snake_case spellings of the schema keywords Gemini's OpenAPI subset uses. */
const SNAKE_KEYWORDS: Record<string, string> = {
  any_of: 'anyOf',
  property_ordering: 'propertyOrdering',
  max_items: 'maxItems',
  min_items: 'minItems',
  max_length: 'maxLength',
  min_length: 'minLength',
  max_properties: 'maxProperties',
  min_properties: 'minProperties',
};

/**
 * Turns a Gemini `parameters` / `responseSchema` (OpenAPI 3.0 subset: upper-case types, `nullable`)
 * into JSON Schema: lower-case types, `nullable: true` folded into the type. Other keywords are kept.
 */
export function openApiToJsonSchema(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [rawKey, value] of Object.entries(schema)) {
    const key = SNAKE_KEYWORDS[rawKey] ?? rawKey;
    if (key === 'nullable') continue;
    if (key === 'type') {
      if (typeof value === 'string' && value !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub)]));
    } else if (key === 'items' || key === 'anyOf') {
      out[key] = Array.isArray(value) ? value.map(convert) : convert(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) makeNullable(out);
  return out;
}

function convert(value: unknown): unknown {
  return isObject(value) ? openApiToJsonSchema(value) : value;
}

function makeNullable(out: JsonObject): void {
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  } else if (Array.isArray(out.anyOf)) {
    out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
}
