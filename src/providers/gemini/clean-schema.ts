// Rewrites a JSON Schema into the OpenAPI 3.0 subset Gemini accepts for function `parameters` and
// `responseSchema`. What changes:
// - kept keywords (everything else is REMOVED): type, format, title, description, nullable, enum, items,
//   properties, required, minItems, maxItems, minProperties, maxProperties, minLength, maxLength, pattern,
//   minimum, maximum, example, anyOf, propertyOrdering.
//   So removed are e.g. $schema, $id, $comment, $defs/definitions (after resolution), additionalProperties,
//   unevaluatedProperties, patternProperties, default, examples, const (rewritten first), not, if/then/else,
//   exclusiveMinimum/exclusiveMaximum, multipleOf, uniqueItems, contentEncoding, readOnly/writeOnly, deprecated.
// - `$ref` to `#/$defs/X`, `#/definitions/X` or `#` is inlined; a recursive reference (or one that does not
//   resolve) becomes `{type:'object'}` (keeping its description).
// - `const: 'v'` → `type:'string', enum:['v']`; a number/boolean const keeps only its type (Gemini enums are
//   strings), so that value is no longer enforced.
// - `type: ['string','null']` → `type:'string', nullable:true`; several non-null types → `anyOf`.
// - `oneOf` → `anyOf`; `{type:'null'}` members of anyOf become `nullable:true`; a single remaining member is inlined.
// - `allOf` is merged into one schema (properties and required united).
// - `format` is kept only where Gemini accepts it: string `enum`/`date-time`, number `float`/`double`,
//   integer `int32`/`int64`.
// - `required` names without a property are removed; an empty `properties` object is removed.

type Schema = Record<string, unknown>;

const KEPT_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'properties',
  'required',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'example',
  'anyOf',
  'propertyOrdering',
]);

const ACCEPTED_FORMATS: Record<string, readonly string[]> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

const MAX_DEPTH = 32;

interface CleanContext {
  root: Schema;
  /** refs being expanded on the current path, to cut recursion */
  expanding: Set<string>;
  depth: number;
}

/** Cleans a whole schema. Returns `{}` when given something that is not an object. */
export function cleanSchema(schema: unknown): Schema {
  if (!isObject(schema)) return {};
  return cleanNode(schema, { root: schema, expanding: new Set(['#']), depth: 0 });
}

/**
 * Cleans a function's parameter schema. Gemini rejects an OBJECT with no properties, so a schema
 * for "no arguments" becomes undefined (the declaration then has no `parameters`).
 */
export function cleanParametersSchema(schema: unknown): Schema | undefined {
  if (!isObject(schema)) return undefined;
  const cleaned = cleanSchema(schema);
  if (cleaned.type === 'object' && cleaned.properties === undefined) return undefined;
  if (Object.keys(cleaned).length === 0) return undefined;
  return cleaned;
}

function cleanNode(input: Schema, context: CleanContext): Schema {
  if (context.depth > MAX_DEPTH) return { type: 'object' };
  const expanded = expandRefs(input, context);
  if (expanded === undefined) return cutRecursion(input);
  const inner: CleanContext = { ...expanded.context, depth: context.depth + 1 };
  const merged = mergeAllOf(expanded.node);
  const out: Schema = {};
  for (const [key, value] of Object.entries(merged)) {
    if (KEPT_KEYS.has(key)) out[key] = value;
  }
  applyConst(out, merged.const);
  applyType(out, merged.type);
  applyAnyOf(out, merged, inner);
  if (isObject(merged.items)) out.items = cleanNode(merged.items, inner);
  else delete out.items;
  applyProperties(out, merged, inner);
  applyFormat(out);
  return out;
}

/**
 * Resolves local `$ref`s (merging sibling keywords over the target), following chains.
 * Undefined when a reference is recursive or does not resolve.
 */
function expandRefs(
  input: Schema,
  context: CleanContext,
): { node: Schema; context: CleanContext } | undefined {
  let node = input;
  let expanding = context.expanding;
  while (typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (expanding.has(ref)) return undefined;
    const target = resolvePointer(context.root, ref);
    if (!target) return undefined;
    expanding = new Set([...expanding, ref]);
    const { $ref: _ignored, ...siblings } = node;
    node = { ...target, ...siblings };
  }
  return { node, context: { ...context, expanding } };
}

function resolvePointer(root: Schema, ref: string): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return isObject(current) ? current : undefined;
}

function cutRecursion(node: Schema): Schema {
  const out: Schema = { type: 'object' };
  if (typeof node.description === 'string') out.description = node.description;
  return out;
}

function mergeAllOf(node: Schema): Schema {
  const parts = Array.isArray(node.allOf) ? node.allOf.filter(isObject) : [];
  if (parts.length === 0) return node;
  const { allOf: _ignored, ...rest } = node;
  const merged: Schema = {};
  const properties: Schema = {};
  const required = new Set<string>();
  for (const part of [...parts, rest]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value))
        for (const name of value) required.add(String(name));
      else if (merged[key] === undefined) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/** Gemini enums are strings: a string const becomes a one-value enum; any other const only keeps its type. */
function applyConst(out: Schema, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string') {
    out.enum ??= [value];
    out.type ??= 'string';
  } else if (typeof value === 'number') {
    out.type ??= Number.isInteger(value) ? 'integer' : 'number';
  } else if (typeof value === 'boolean') {
    out.type ??= 'boolean';
  }
}

function applyType(out: Schema, type: unknown): void {
  if (!Array.isArray(type)) return;
  const types = type.filter((item): item is string => typeof item === 'string');
  const nonNull = types.filter((item) => item !== 'null');
  delete out.type;
  if (nonNull.length < types.length) out.nullable = true;
  if (nonNull.length === 1) out.type = nonNull[0];
  else if (nonNull.length > 1) out.anyOf = nonNull.map((item) => ({ type: item }));
  else if (types.length > 0) out.type = 'null';
}

function applyAnyOf(out: Schema, node: Schema, context: CleanContext): void {
  const source = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (!source) return;
  const members = source.filter(isObject);
  const nonNull = members.filter((member) => member.type !== 'null');
  if (nonNull.length < members.length) out.nullable = true;
  const cleaned = nonNull.map((member) => cleanNode(member, context));
  if (cleaned.length === 1) {
    delete out.anyOf;
    for (const [key, value] of Object.entries(cleaned[0])) if (out[key] === undefined) out[key] = value;
  } else if (cleaned.length > 1) {
    out.anyOf = cleaned;
  } else {
    delete out.anyOf;
  }
}

function applyProperties(out: Schema, node: Schema, context: CleanContext): void {
  if (!isObject(node.properties)) {
    delete out.properties;
    delete out.required;
    return;
  }
  const properties: Schema = {};
  for (const [name, value] of Object.entries(node.properties)) {
    properties[name] = isObject(value) ? cleanNode(value, context) : {};
  }
  if (Object.keys(properties).length === 0) {
    delete out.properties;
    delete out.required;
    return;
  }
  out.properties = properties;
  if (Array.isArray(node.required)) {
    const required = node.required.filter(
      (name): name is string => typeof name === 'string' && name in properties,
    );
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
}

function applyFormat(out: Schema): void {
  if (out.format === undefined) return;
  const accepted = typeof out.type === 'string' ? ACCEPTED_FORMATS[out.type.toLowerCase()] : undefined;
  if (!accepted?.includes(String(out.format))) delete out.format;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
