// OAuth access tokens for Vertex AI from a service account (JWT bearer grant, RFC 7523).
// NOTE: this is the one network call outside src/transport: the token exchange is part of building
// the upstream request (buildRequest is async for it), not the proxied call itself, so it has its own
// small undici request here.
import { request } from 'undici';
import { GatewayError } from '../../core/errors.ts';
import { type ServiceAccount, signAssertion } from './service-account.ts';

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** refresh this long before expiry (at most half the token's lifetime) */
const REFRESH_MARGIN_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 30_000;

export interface TokenReply {
  status: number;
  body: string;
}

/** POSTs a form to the token endpoint. Replaceable in tests. */
export type PostForm = (url: string, form: string) => Promise<TokenReply>;

export interface AccessTokenSourceOptions {
  loadAccount: () => Promise<ServiceAccount>;
  /** milliseconds since the epoch */
  now?: () => number;
  postForm?: PostForm;
}

/**
 * One service account's token: fetched on first use, reused until shortly before it expires;
 * concurrent callers share one in-flight fetch. A failed fetch is not cached.
 */
export class AccessTokenSource {
  private readonly loadAccount: () => Promise<ServiceAccount>;
  private readonly now: () => number;
  private readonly postForm: PostForm;
  private token: { value: string; refreshAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(options: AccessTokenSourceOptions) {
    this.loadAccount = options.loadAccount;
    this.now = options.now ?? Date.now;
    this.postForm = options.postForm ?? postFormWithUndici;
  }

  getToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchToken(): Promise<string> {
    const account = await this.loadAccount();
    const issuedAt = this.now();
    const assertion = signAssertion(account, Math.floor(issuedAt / 1000));
    const form = new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString();
    const reply = await this.postForm(account.tokenUri, form);
    const { accessToken, expiresInSeconds } = readTokenReply(reply);
    const lifetime = expiresInSeconds * 1000;
    this.token = {
      value: accessToken,
      refreshAt: issuedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2),
    };
    return accessToken;
  }
}

function readTokenReply(reply: TokenReply): { accessToken: string; expiresInSeconds: number } {
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(reply.body) as Record<string, unknown>;
  } catch {
    // handled below
  }
  if (reply.status === 200 && typeof json.access_token === 'string') {
    const expires = Number(json.expires_in);
    return {
      accessToken: json.access_token,
      expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 3600,
    };
  }
  const reason = [json.error, json.error_description].filter((item) => typeof item === 'string').join(': ');
  const message = `Vertex AI: the token endpoint refused the service account (HTTP ${reply.status}${reason ? `, ${reason}` : ''})`;
  if (reply.status >= 500 || reply.status === 429) {
    return failRetryable(message, reply.status);
  }
  throw new GatewayError('unauthorized', message, { status: 401, provider: 'vertex' });
}

function failRetryable(message: string, status: number): never {
  throw new GatewayError(status === 429 ? 'rate_limited' : 'upstream_unavailable', message, {
    provider: 'vertex',
  });
}

async function postFormWithUndici(url: string, form: string): Promise<TokenReply> {
  try {
    const reply = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      headersTimeout: TOKEN_TIMEOUT_MS,
      bodyTimeout: TOKEN_TIMEOUT_MS,
    });
    return { status: reply.statusCode, body: await reply.body.text() };
  } catch (error) {
    throw new GatewayError('upstream_connection', 'Vertex AI: could not reach the OAuth token endpoint', {
      provider: 'vertex',
      cause: error,
    });
  }
}
