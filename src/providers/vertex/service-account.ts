// Reads a Google service-account key and signs the RS256 JWT assertion for the OAuth token call.
import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../core/errors.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const ASSERTION_LIFETIME_SECONDS = 3600;

export interface ServiceAccount {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
}

/** From the JSON object; never puts the key material into an error message. */
export function serviceAccountFrom(json: Record<string, unknown>): ServiceAccount {
  const {
    client_email: clientEmail,
    private_key: privateKey,
    private_key_id: keyId,
    token_uri: tokenUri,
  } = json;
  if (typeof clientEmail !== 'string' || typeof privateKey !== 'string') {
    throw new GatewayError(
      'unauthorized',
      'Vertex AI: the service account JSON has no client_email or private_key',
    );
  }
  return {
    clientEmail,
    privateKey,
    privateKeyId: typeof keyId === 'string' ? keyId : undefined,
    tokenUri: typeof tokenUri === 'string' && tokenUri ? tokenUri : DEFAULT_TOKEN_URI,
  };
}

export async function readServiceAccountFile(path: string): Promise<ServiceAccount> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new GatewayError('unauthorized', 'Vertex AI: cannot read the service account credentials file', {
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null) {
    throw new GatewayError(
      'unauthorized',
      'Vertex AI: the service account credentials file is not a JSON object',
    );
  }
  return serviceAccountFrom(json as Record<string, unknown>);
}

/** The JWT bearer assertion: iss = client_email, aud = token_uri, cloud-platform scope, 1 h lifetime. */
export function signAssertion(account: ServiceAccount, nowSeconds: number): string {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (account.privateKeyId) header.kid = account.privateKeyId;
  const claims = {
    iss: account.clientEmail,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: account.tokenUri,
    iat: nowSeconds,
    exp: nowSeconds + ASSERTION_LIFETIME_SECONDS,
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  let signature: Buffer;
  try {
    signature = sign('sha256', Buffer.from(unsigned), createPrivateKey(account.privateKey));
  } catch (error) {
    throw new GatewayError('unauthorized', 'Vertex AI: the service account private key cannot sign', {
      cause: error,
    });
  }
  return `${unsigned}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
