// Fetches an image URL a client put in a request, for providers that need the bytes inline (Gemini, Bedrock).
// The URL is the client's, so it is treated as hostile: only http(s), never to private, loopback, link-local
// (cloud metadata) or otherwise internal addresses, checked for every DNS answer and again on every redirect,
// and the connection goes to the checked address (no second DNS lookup that could be rebound).
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';
import { GatewayError } from '../core/errors.ts';
import { blockedAddressKind, isBlockedName, normaliseHost } from './blocked-address.ts';

export interface FetchedImage {
  mediaType: string;
  /** base64 */
  data: string;
}

export type ImageFetcher = (url: string) => Promise<FetchedImage>;

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface ImageFetcherOptions {
  /** largest image accepted, in bytes (default 20 MB) */
  maxBytes?: number;
  /** total time for all hops and the body (default 10 s) */
  timeoutMs?: number;
  /**
   * Lets the fetch reach private, loopback and link-local addresses. Only for tests and self-hosted setups
   * whose images live on an internal network; set with SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE=1.
   */
  allowPrivate?: boolean;
  /** addresses allowed although internal, for tests whose "public" server listens on loopback */
  exemptAddresses?: readonly string[];
  /** resolves a host name to all its addresses (default: the system resolver); tests inject one */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface FetchSettings {
  maxBytes: number;
  allowPrivate: boolean;
  exempt: ReadonlySet<string>;
  resolve: (host: string) => Promise<ResolvedAddress[]>;
}

/** The fetcher handed to providers through BuildContext.fetchImage. */
export function createImageFetcher(options: ImageFetcherOptions = {}): ImageFetcher {
  const settings: FetchSettings = {
    maxBytes: options.maxBytes ?? 20 * 1024 * 1024,
    allowPrivate: options.allowPrivate ?? false,
    exempt: new Set(options.exemptAddresses ?? []),
    resolve: options.resolve ?? systemResolve,
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let host = hostOf(url);
    try {
      let current = parseImageUrl(url);
      for (let hop = 0; ; hop++) {
        host = current.host;
        const next = await fetchHop(current, settings, signal);
        if ('image' in next) return next.image;
        if (hop >= MAX_REDIRECTS) throw refused(host, `more than ${MAX_REDIRECTS} redirects`);
        current = parseImageUrl(next.location, current);
      }
    } catch (error) {
      if (signal.aborted) throw refused(host, `no complete answer within ${timeoutMs} ms`);
      if (error instanceof GatewayError) throw error;
      throw refused(host, 'the download failed');
    }
  };
}

/** SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE=1 allows internal addresses (tests, self-hosted image stores). */
export function imageFetcherFromEnv(env: NodeJS.ProcessEnv): ImageFetcher {
  return createImageFetcher({ allowPrivate: env.SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE === '1' });
}

let shared: ImageFetcher | undefined;

/** The gateway's fetcher, configured from process.env on first use. */
export const fetchImage: ImageFetcher = (url) => {
  shared ??= imageFetcherFromEnv(process.env);
  return shared(url);
};

function parseImageUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new GatewayError('invalid_request', 'Image URL is not a valid URL', { param: 'image_url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(url.host, `only http and https image URLs are fetched, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username || url.password) throw refused(url.host, 'image URLs with credentials are not fetched');
  return url;
}

type HopResult = { image: FetchedImage } | { location: string };

async function fetchHop(url: URL, settings: FetchSettings, signal: AbortSignal): Promise<HopResult> {
  const pinned = await checkedAddress(url, settings, signal);
  const agent = new Agent({ connect: { lookup: pinnedLookup(pinned) }, allowH2: false });
  try {
    const reply = await request(url, {
      method: 'GET',
      headers: { accept: 'image/*', 'user-agent': 'switchyard-image-fetch' },
      dispatcher: agent,
      signal,
    });
    const location = header(reply.headers, 'location');
    if (REDIRECT_STATUSES.has(reply.statusCode) && location) {
      await discard(reply.body);
      return { location };
    }
    if (reply.statusCode !== 200) {
      await discard(reply.body);
      throw refused(url.host, `the server answered HTTP ${reply.statusCode}`);
    }
    return { image: await readImage(url.host, reply, settings.maxBytes) };
  } finally {
    agent.destroy().catch(() => {});
  }
}

/** Resolves the host (every address must be allowed) and returns the one to connect to. */
async function checkedAddress(
  url: URL,
  settings: FetchSettings,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const host = normaliseHost(url.hostname);
  if (!settings.allowPrivate && isBlockedName(host)) throw refused(url.host, 'internal host name');
  const family = isIP(host);
  const addresses = family
    ? [{ address: host, family }]
    : await untilAborted(resolveAll(url.host, host, settings), signal);
  if (addresses.length === 0) throw refused(url.host, 'the host name did not resolve');
  if (!settings.allowPrivate) {
    for (const { address } of addresses) {
      const kind = settings.exempt.has(address) ? undefined : blockedAddressKind(address);
      if (kind) throw refused(url.host, `it resolves to a ${kind} address`);
    }
  }
  return addresses[0];
}

async function resolveAll(display: string, host: string, settings: FetchSettings) {
  try {
    return await settings.resolve(host);
  } catch {
    throw refused(display, 'the host name did not resolve');
  }
}

/** DNS lookups take no signal: stop waiting when the total time is up. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function systemResolve(host: string): Promise<ResolvedAddress[]> {
  return dnsLookup(host, { all: true, verbatim: true });
}

/** A socket lookup that always answers with the address already checked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

async function readImage(host: string, reply: Dispatcher.ResponseData, maxBytes: number) {
  const declared = Number(header(reply.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(reply.body);
    throw tooLarge(host, maxBytes);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of reply.body) {
    size += chunk.length;
    // leaving the loop destroys the body, which aborts the download
    if (size > maxBytes) throw tooLarge(host, maxBytes);
    parts.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(parts);
  const mediaType = imageType(header(reply.headers, 'content-type'), bytes);
  if (!mediaType) throw refused(host, 'the answer is not an image');
  return { mediaType, data: bytes.toString('base64') };
}

/** The declared `image/*` type, else the type the magic bytes show (PNG, JPEG, GIF, WEBP). */
export function imageType(contentType: string | undefined, bytes: Uint8Array): string | undefined {
  const declared = contentType?.split(';')[0].trim().toLowerCase();
  if (declared?.startsWith('image/')) return declared;
  return sniffImageType(bytes);
}

export function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (values: number[], at = 0) => values.every((value, i) => bytes[at + i] === value);
  const ascii = (text: string, at = 0) =>
    starts(
      [...text].map((c) => c.charCodeAt(0)),
      at,
    );
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii('GIF87a') || ascii('GIF89a')) return 'image/gif';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'image/webp';
  return undefined;
}

/** Reads away a small body (a redirect or error page) so the socket is released; a big one is cut. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => {});
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function hostOf(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return 'an invalid URL';
  }
}

function refused(host: string, why: string): GatewayError {
  return new GatewayError('invalid_request', `Could not fetch the image from ${host || 'the URL'}: ${why}`, {
    param: 'image_url',
  });
}

function tooLarge(host: string, maxBytes: number): GatewayError {
  return refused(host, `the image is larger than ${maxBytes} bytes`);
}
