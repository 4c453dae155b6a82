// Adds one field to the top-level `usage` object of a JSON reply without parsing and re-serialising it:
// the upstream's bytes go back as they came, with `,"<name>":<value>` written before usage's closing brace.

import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  isSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-bytes.ts';

const USAGE = Buffer.from('"usage"');

/**
 * `raw` with `"name":valueJson` added inside its top-level `usage` object; undefined when the reply has
 * no such object (the caller then falls back to re-serialising). The caller checks the field is not
 * there already.
 */
export function insertUsageField(raw: Uint8Array, name: string, valueJson: string): Buffer | undefined {
  const at = usageClose(raw);
  if (at === undefined) return undefined;
  const empty = raw[previousNonSpaceIndex(raw, at)] === OPEN_BRACE;
  const field = Buffer.from(`${empty ? '' : ','}"${name}":${valueJson}`);
  return Buffer.concat([raw.subarray(0, at), field, raw.subarray(at)]);
}

/**
 * Index of the closing brace of the top-level `"usage": {…}`, if there is one. Scans from the end: usage
 * closes most replies, so only their tail is read (and, as with JSON.parse, a repeated key's last value wins).
 */
function usageClose(raw: Uint8Array): number | undefined {
  let i = previousNonSpaceIndex(raw, raw.length);
  if (i < 0 || raw[i] !== CLOSE_BRACE) return undefined;
  let depth = 1;
  /** the closing brace of the object value at depth 1 being walked through, if any */
  let valueClose = -1;
  for (i--; i >= 0; i--) {
    const byte = raw[i];
    if (byte === QUOTE) {
      i = stringStart(raw, i);
      if (i < 0) return undefined;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 1) valueClose = byte === CLOSE_BRACE ? i : -1;
      depth++;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth--;
      if (depth === 0) return undefined;
      if (depth === 1 && valueClose >= 0) {
        if (isUsageKeyBefore(raw, i)) return valueClose;
        valueClose = -1;
      }
    }
  }
  return undefined;
}

/** Index of the quote that opens the string closing at `end` (a quote preceded by an even run of backslashes). */
function stringStart(raw: Uint8Array, end: number): number {
  for (let i = end - 1; i >= 0; i--) {
    if (raw[i] !== QUOTE) continue;
    let backslashes = 0;
    while (i - 1 - backslashes >= 0 && raw[i - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}

/** Whether the value opening at `open` follows `"usage":`. */
function isUsageKeyBefore(raw: Uint8Array, open: number): boolean {
  const colon = previousNonSpaceIndex(raw, open);
  if (colon < 0 || raw[colon] !== COLON) return false;
  const keyEnd = previousNonSpaceIndex(raw, colon);
  if (keyEnd < 0 || raw[keyEnd] !== QUOTE) return false;
  const keyStart = keyEnd - USAGE.length + 1;
  if (keyStart < 0 || stringStart(raw, keyEnd) !== keyStart) return false;
  for (let i = 0; i < USAGE.length; i++) if (raw[keyStart + i] !== USAGE[i]) return false;
  return true;
}

function previousNonSpaceIndex(raw: Uint8Array, before: number): number {
  let i = before - 1;
  while (i >= 0 && isSpace(raw[i])) i--;
  return i;
}
