import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The credential a client presented, in whichever header its SDK uses (or Gemini's `key=` query parameter). */
export function presentedKey(request: IncomingMessage, context?: { readonly url: URL }): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const headerKey =
    request.headers['x-api-key'] ?? request.headers['api-key'] ?? request.headers['x-goog-api-key'];
  if (typeof headerKey === 'string') return headerKey;
  return context?.url.searchParams.get('key') ?? undefined;
}

export function keyMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
