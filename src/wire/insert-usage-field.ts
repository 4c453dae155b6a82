// Adds one field to the top-level `usage` object of a JSON reply without parsing and re-serialising it:
// the upstream's bytes go back as they came, with `,"<name>":<value>` written before usage's closing brace.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const USAGE = Buffer.from('"usage"');

/**
 * `raw` with `"name":valueJson` added inside its top-level `usage` object; undefined when the reply has
 * no such object (the caller then falls back to re-serialising). The caller checks the field is not
 * there already.
 */
export function insertUsageField(raw: Uint8Array, name: string, valueJson: string): Buffer | undefined {
  const at = usageClose(raw);
  if (at === undefined) return undefined;
  const empty = previousNonSpace(raw, at) === OPEN_BRACE;
  const field = Buffer.from(`${empty ? '' : ','}"${name}":${valueJson}`);
  return Buffer.concat([raw.subarray(0, at), field, raw.subarray(at)]);
}

/** Index of the closing brace of the top-level `"usage": {…}`, if there is one. */
function usageClose(raw: Uint8Array): number | undefined {
  let depth = 0;
  let inUsage = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (byte === QUOTE) {
      const end = stringEnd(raw, i);
      if (depth === 1 && !inUsage && isUsageKey(raw, i, end)) {
        const colon = skipSpace(raw, end + 1);
        if (raw[colon] === COLON) {
          const value = skipSpace(raw, colon + 1);
          if (raw[value] !== OPEN_BRACE) return undefined;
          inUsage = true;
          depth = 2;
          i = value;
          continue;
        }
      }
      i = end;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (inUsage && depth === 2) return i;
      depth--;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`. */
function stringEnd(raw: Uint8Array, start: number): number {
  for (let i = start + 1; i < raw.length; i++) {
    if (raw[i] === BACKSLASH) i++;
    else if (raw[i] === QUOTE) return i;
  }
  return raw.length;
}

function isUsageKey(raw: Uint8Array, start: number, end: number): boolean {
  if (end - start + 1 !== USAGE.length) return false;
  for (let i = 0; i < USAGE.length; i++) if (raw[start + i] !== USAGE[i]) return false;
  return true;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(raw: Uint8Array, from: number): number {
  let i = from;
  while (i < raw.length && isSpace(raw[i])) i++;
  return i;
}

function previousNonSpace(raw: Uint8Array, before: number): number | undefined {
  let i = before - 1;
  while (i >= 0 && isSpace(raw[i])) i--;
  return i >= 0 ? raw[i] : undefined;
}
