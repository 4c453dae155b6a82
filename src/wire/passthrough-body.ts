// The body of a same-protocol (passthrough) request, without re-serialising the client's JSON. A provider
// changes only top-level members of its copy of the body (the model, a dropped or renamed field,
// stream_options), so the client's bytes are kept and only those members are rewritten: a long prompt is
// copied once instead of walked and encoded again. Anything this cannot do exactly falls back to
// JSON.stringify of the edited copy, which is always correct.
//
// The members are walked only up to the last one that changed (the model usually comes first); the rest of
// the object is kept as one slice, after a native search shows no changed key appears in it again. That
// pays from about 1 KiB; when a changed key does come later, every member is walked, which pays from about
// 2 KiB. Smaller bodies are simply encoded (see bench/passthrough-body.mjs for the figures).

import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-bytes.ts';

type JsonBody = Record<string, unknown>;

/**
 * Body sizes from which keeping the client's bytes beats JSON.stringify (bench/passthrough-body.mjs): when
 * the changed members come first, and when every member must be walked.
 */
export const KEEP_BYTES_FROM = 1024;
export const WALK_ALL_FROM = 2048;

interface Member {
  key: string;
  /** from the key's opening quote to the end of its value */
  start: number;
  end: number;
}

/**
 * `edited` is a shallow copy of `original` (the parse of `raw`) whose top-level members may have been
 * replaced, deleted or added; nested values must not have been changed in place.
 */
export function encodePassthroughBody(
  raw: Buffer,
  original: JsonBody,
  edited: JsonBody,
  { keepBytesFrom = KEEP_BYTES_FROM, walkAllFrom = WALK_ALL_FROM } = {},
): string | Buffer {
  const changed = changedKeys(original, edited);
  if (changed === undefined) return raw;
  if (raw.length < keepBytesFrom) return JSON.stringify(edited);
  const kept = keptUpToLastChange(raw, changed, original, edited);
  if (kept) return kept;
  if (raw.length < walkAllFrom) return JSON.stringify(edited);
  const members = topLevelMembers(raw);
  // a member the parse does not account for (a duplicated key) makes the bytes ambiguous
  if (!members || members.length !== Object.keys(original).length) return JSON.stringify(edited);
  const object = new ObjectWriter(raw);
  for (const member of members) {
    if (!Object.hasOwn(edited, member.key)) continue;
    const value = edited[member.key];
    if (value === original[member.key]) object.keep(member.start, member.end);
    else object.member(member.key, value);
  }
  object.newMembers(original, edited);
  return object.toBuffer();
}

/**
 * The edited body from the client's bytes, walking its members only until every changed one is found; the
 * members after it are kept as one slice. Undefined when that is not exact: the text is not a plain
 * object, a key on the way is escaped, or a changed key occurs twice, or may, in the members kept (the
 * last would win in the upstream's parse).
 */
function keptUpToLastChange(
  raw: Buffer,
  changed: readonly string[],
  original: JsonBody,
  edited: JsonBody,
): Buffer | undefined {
  const close = previousNonSpace(raw, raw.length);
  if (raw[close] !== CLOSE_BRACE) return undefined;
  let i = skipSpace(raw, 0);
  if (raw[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(raw, i + 1);
  const object = new ObjectWriter(raw);
  const found: string[] = [];
  while (found.length < changed.length) {
    const member = memberAt(raw, i);
    if (!member) return undefined;
    if (!changed.includes(member.key)) object.keep(member.start, member.end);
    else if (found.includes(member.key)) return undefined;
    else {
      found.push(member.key);
      object.member(member.key, edited[member.key]);
    }
    i = skipSpace(raw, member.end);
    if (raw[i] === COMMA) i = skipSpace(raw, i + 1);
    else if (i !== close) return undefined;
  }
  if (i < close) {
    if (!noLaterMember(raw, i, changed)) return undefined;
    object.keep(i, previousNonSpace(raw, close) + 1);
  }
  object.newMembers(original, edited);
  return object.toBuffer();
}

/**
 * Whether no member named like one of `keys` can follow `from`. A quote cannot stand unescaped inside a
 * JSON string, so without the bytes `"key"` there is no such member, unless the key is written with
 * escapes: a word-character key can only be escaped as `\u00XX`, so any such escape of a letter, digit
 * or underscore counts as a possible member too (other keys are not looked for at all).
 */
function noLaterMember(raw: Buffer, from: number, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (!WORD.test(key) || raw.indexOf(quotedKey(key), from) !== -1) return false;
  }
  for (let at = raw.indexOf(ESCAPE_00, from); at !== -1; at = raw.indexOf(ESCAPE_00, at + 1)) {
    if (WORD.test(String.fromCharCode(Number.parseInt(raw.toString('latin1', at + 4, at + 6), 16))))
      return false;
  }
  return true;
}

const WORD = /^\w+$/;
const ESCAPE_00 = Buffer.from('\\u00');

const QUOTED_KEYS = new Map<string, Buffer>();

/** `"key"` as bytes; the few keys providers change are encoded once */
function quotedKey(key: string): Buffer {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = Buffer.from(JSON.stringify(key));
    if (QUOTED_KEYS.size < 64) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** An object written from spans of the client's bytes and members encoded anew, in order, comma-separated. */
class ObjectWriter {
  readonly #raw: Buffer;
  /** a span of `raw` is two numbers (start, end); an encoded member is its text */
  readonly #parts: Array<number | string> = [];
  #length = 2; // the braces

  constructor(raw: Buffer) {
    this.#raw = raw;
  }

  keep(start: number, end: number): void {
    this.#comma();
    this.#parts.push(start, end);
    this.#length += end - start;
  }

  /** a member with a new value; undefined drops it, as JSON.stringify would */
  member(key: string, value: unknown): void {
    if (value === undefined) return;
    this.#comma();
    const text = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    this.#parts.push(text);
    this.#length += Buffer.byteLength(text);
  }

  /** the members `edited` has and `original` had not */
  newMembers(original: JsonBody, edited: JsonBody): void {
    for (const key of Object.keys(edited)) if (!Object.hasOwn(original, key)) this.member(key, edited[key]);
  }

  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    out[0] = OPEN_BRACE;
    let at = 1;
    const parts = this.#parts;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (typeof part === 'string') at += out.write(part, at);
      else at += this.#raw.copy(out, at, part, parts[++p] as number);
    }
    out[at] = CLOSE_BRACE;
    return out;
  }

  #comma(): void {
    if (this.#parts.length === 0) return;
    this.#parts.push(',');
    this.#length += 1;
  }
}

/** The keys of `original` that `edited` replaced or removed; undefined when `edited` changes nothing. */
function changedKeys(original: JsonBody, edited: JsonBody): string[] | undefined {
  const changed: string[] = [];
  const keys = Object.keys(original);
  for (const key of keys) if (!Object.hasOwn(edited, key) || edited[key] !== original[key]) changed.push(key);
  if (changed.length > 0 || Object.keys(edited).length !== keys.length) return changed;
  return undefined;
}

/**
 * The top-level members of a JSON object, in order, with their byte spans; undefined when the text is not
 * an object or a key is written with escapes (its bytes would not compare to the parsed key).
 * `raw` has already been parsed successfully, so it is valid JSON.
 */
export function topLevelMembers(raw: Buffer): Member[] | undefined {
  let i = skipSpace(raw, 0);
  if (raw[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(raw, i + 1);
  const members: Member[] = [];
  if (raw[i] === CLOSE_BRACE) return members;
  for (;;) {
    const member = memberAt(raw, i);
    if (!member) return undefined;
    members.push(member);
    i = skipSpace(raw, member.end);
    if (raw[i] === CLOSE_BRACE) return members;
    if (raw[i] !== COMMA) return undefined;
    i = skipSpace(raw, i + 1);
  }
}

/** The member whose key opens at `i`; undefined when there is none or its key is escaped. */
function memberAt(raw: Buffer, i: number): Member | undefined {
  if (raw[i] !== QUOTE) return undefined;
  const keyEnd = stringEnd(raw, i);
  if (keyEnd < 0) return undefined; // an escaped key
  const key = raw.toString('utf8', i + 1, keyEnd - 1);
  const colon = skipSpace(raw, keyEnd);
  if (raw[colon] !== COLON) return undefined;
  return { key, start: i, end: valueEnd(raw, skipSpace(raw, colon + 1)) };
}

function previousNonSpace(raw: Buffer, before: number): number {
  let at = before - 1;
  while (at >= 0 && isSpace(raw[at])) at--;
  return at;
}

function skipSpace(raw: Buffer, i: number): number {
  let at = i;
  while (at < raw.length && isSpace(raw[at])) at++;
  return at;
}

/**
 * Index just past the closing quote of the string that opens at `i`, negated when the string holds an
 * escape. A byte loop: prompt strings are full of short escapes, where a native search per quote costs more.
 */
function stringEnd(raw: Buffer, i: number): number {
  let escaped = false;
  for (let at = i + 1; at < raw.length; at++) {
    const byte = raw[at];
    if (byte === BACKSLASH) {
      escaped = true;
      at++;
    } else if (byte === QUOTE) {
      return escaped ? -(at + 1) : at + 1;
    }
  }
  return raw.length;
}

/** Index just past the value that starts at `i`. */
function valueEnd(raw: Buffer, i: number): number {
  const first = raw[i];
  if (first === QUOTE) return Math.abs(stringEnd(raw, i));
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let at = i;
    while (at < raw.length) {
      const byte = raw[at];
      if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte <= 0x20) break;
      at++;
    }
    return at;
  }
  let depth = 0;
  let at = i;
  while (at < raw.length) {
    const byte = raw[at];
    if (byte === QUOTE) {
      at = Math.abs(stringEnd(raw, at));
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return at + 1;
    }
    at++;
  }
  return at;
}
