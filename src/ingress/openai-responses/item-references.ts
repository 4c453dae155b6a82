// Clients that keep `store` on (the Vercel AI SDK's default) send earlier output items back as
// `{type: 'item_reference', id}` instead of the items themselves. Output item ids name the response
// they belong to (output-items.ts: `<msg|fc|rs>_<response id without resp_>_<output index>`), so the
// route can load those stored responses and put each stored item in place of its reference before
// the input is decoded. A reference this cannot resolve is left as it is (the decoder refuses it).
import { isObject, type Json } from './json.ts';

const ITEM_ID = /^(?:msg|fc|rs)_(.+)_(\d+)$/;

function responseIdOf(itemId: unknown): string | undefined {
  if (typeof itemId !== 'string') return undefined;
  const match = ITEM_ID.exec(itemId);
  return match ? `resp_${match[1]}` : undefined;
}

function isReference(item: unknown): item is Json & { id: string } {
  return isObject(item) && item.type === 'item_reference' && typeof item.id === 'string';
}

/** The stored responses an input's item references point into. */
export function referencedResponseIds(input: unknown): string[] {
  if (!Array.isArray(input)) return [];
  const ids = input.filter(isReference).map((item) => responseIdOf(item.id));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** The input with each reference replaced by the output item of that id found in `storedResponses`. */
export function resolveItemReferences(input: unknown, storedResponses: unknown[]): unknown {
  if (!Array.isArray(input)) return input;
  const items = new Map<string, Json>();
  for (const response of storedResponses) {
    if (!isObject(response) || !Array.isArray(response.output)) continue;
    for (const item of response.output)
      if (isObject(item) && typeof item.id === 'string') items.set(item.id, item);
  }
  return input.map((item) => (isReference(item) ? (items.get(item.id) ?? item) : item));
}
