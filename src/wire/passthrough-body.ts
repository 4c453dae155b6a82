// The body of a same-protocol (passthrough) request, without re-serialising the client's JSON. A provider
// changes only top-level members of its copy of the body (the model, a dropped or renamed field,
// stream_options), so the client's bytes are kept and only those members are rewritten: a long prompt is
// copied once instead of walked and encoded again. Anything this cannot do exactly falls back to
// JSON.stringify of the edited copy, which is always correct. Below about 2 KiB JSON.stringify is as cheap or
// cheaper (bench/passthrough-body.mjs: ~1.6× faster kept at 3 KiB, ~2.5× at 48 KiB, 4-6× at 384 KiB), so
// small bodies are simply encoded.

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

/** body size from which keeping the client's bytes beats JSON.stringify (bench/passthrough-body.mjs) */
export const KEEP_BYTES_FROM = 2048;

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
  keepBytesFrom = KEEP_BYTES_FROM,
): string | Buffer {
  if (!changesAnything(original, edited)) return raw;
  if (raw.length < keepBytesFrom) return JSON.stringify(edited);
  const members = topLevelMembers(raw);
  // a member the parse does not account for (a duplicated key) makes the bytes ambiguous
  if (!members || members.length !== Object.keys(original).length) return JSON.stringify(edited);
  const pieces: Buffer[] = [];
  let length = 0;
  const add = (piece: Buffer) => {
    pieces.push(piece, COMMA_BYTE);
    length += piece.length + 1;
  };
  for (const member of members) {
    if (!Object.hasOwn(edited, member.key)) continue;
    const value = edited[member.key];
    if (value === original[member.key]) add(raw.subarray(member.start, member.end));
    else if (value !== undefined) add(Buffer.from(`${JSON.stringify(member.key)}:${JSON.stringify(value)}`));
  }
  for (const key of Object.keys(edited)) {
    if (Object.hasOwn(original, key) || edited[key] === undefined) continue;
    add(Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(edited[key])}`));
  }
  if (pieces.length === 0) return '{}';
  pieces[pieces.length - 1] = CLOSE_BYTE; // the last comma closes the object instead
  pieces.unshift(OPEN_BYTE);
  return Buffer.concat(pieces, length + 1);
}

const COMMA_BYTE = Buffer.from(',');
const OPEN_BYTE = Buffer.from('{');
const CLOSE_BYTE = Buffer.from('}');

function changesAnything(original: JsonBody, edited: JsonBody): boolean {
  let kept = 0;
  for (const key in edited) {
    if (!Object.hasOwn(edited, key)) continue;
    if (!Object.hasOwn(original, key) || edited[key] !== original[key]) return true;
    kept++;
  }
  return kept !== Object.keys(original).length;
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
    if (raw[i] !== QUOTE) return undefined;
    const start = i;
    const keyEnd = stringEnd(raw, i);
    if (keyEnd < 0) return undefined; // an escaped key
    const key = raw.toString('utf8', start + 1, keyEnd - 1);
    i = skipSpace(raw, keyEnd);
    if (raw[i] !== COLON) return undefined;
    i = valueEnd(raw, skipSpace(raw, i + 1));
    members.push({ key, start, end: i });
    i = skipSpace(raw, i);
    if (raw[i] === CLOSE_BRACE) return members;
    if (raw[i] !== COMMA) return undefined;
    i = skipSpace(raw, i + 1);
  }
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
