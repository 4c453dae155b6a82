import { AwsV4Signer } from 'aws4fetch';
import { GatewayError } from '../../core/errors.ts';
import type { BedrockOptions } from './wire-types.ts';

export const SIGNING_SERVICE = 'bedrock';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  url: string;
  body: string;
  /** headers to sign besides host and x-amz-date (content-type) */
  headers: Record<string, string>;
  credentials: SigV4Credentials;
  region: string;
  /** `YYYYMMDDTHHMMSSZ`; now when absent */
  datetime?: string;
}

/** Derived signing keys, keyed by secret/date/region/service; cleared when it grows. */
const signingKeyCache = new Map<string, ArrayBuffer>();

/**
 * An aws4fetch signer for a Bedrock runtime call. Every given header is signed (`allHeaders`), and
 * the canonical URI is the sent path encoded again per segment, as AWS computes it for non-S3 services.
 */
export function createSigner(input: SignInput): AwsV4Signer {
  if (signingKeyCache.size > 64) signingKeyCache.clear();
  return new AwsV4Signer({
    method: 'POST',
    url: input.url,
    headers: input.headers,
    body: input.body,
    accessKeyId: input.credentials.accessKeyId,
    secretAccessKey: input.credentials.secretAccessKey,
    sessionToken: input.credentials.sessionToken,
    service: SIGNING_SERVICE,
    region: input.region,
    datetime: input.datetime,
    allHeaders: true,
    cache: signingKeyCache,
  });
}

const SIGNATURE_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

/** Signs with SigV4 and returns the headers the signature adds (authorization, x-amz-date, …). */
export async function sigV4Headers(input: SignInput): Promise<Record<string, string>> {
  const signed = await createSigner(input).sign();
  const out: Record<string, string> = {};
  for (const name of SIGNATURE_HEADERS) {
    const value = signed.headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/**
 * Auth headers for one request: `Authorization: Bearer` with a Bedrock API key, else SigV4.
 * `headers` are the headers to sign (they are also sent).
 */
export async function authHeaders(
  options: BedrockOptions,
  request: { url: string; body: string; headers: Record<string, string> },
  provider: string,
): Promise<Record<string, string>> {
  if (options.bearerToken) return { authorization: `Bearer ${options.bearerToken}` };
  if (!options.accessKeyId || !options.secretAccessKey) {
    throw new GatewayError('no_provider_key', `Provider ${provider} has no AWS credentials`, { provider });
  }
  return sigV4Headers({
    ...request,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      sessionToken: options.sessionToken,
    },
    region: options.region,
  });
}
