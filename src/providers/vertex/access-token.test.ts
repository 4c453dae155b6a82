import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import { GatewayError } from '../../core/errors.ts';
import { AccessTokenSource } from './access-token.ts';
import { readServiceAccountFile } from './service-account.ts';
import { CLIENT_EMAIL, makeServiceAccount, type TestServiceAccount, tokenEndpoint } from './test-helpers.ts';

describe('vertex AccessTokenSource against a fake token endpoint', () => {
  let server: FakeServer;
  let account: TestServiceAccount;
  let clock: number;
  let endpoint: ReturnType<typeof tokenEndpoint>;

  before(async () => {
    server = await startFakeServer();
    account = makeServiceAccount(`${server.url}/token`);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = Date.parse('2026-05-01T12:00:00Z');
    endpoint = tokenEndpoint(account.publicKey, 3600);
    server.setFallback(endpoint.reply);
  });

  const source = () =>
    new AccessTokenSource({ loadAccount: () => readServiceAccountFile(account.file), now: () => clock });

  it('signs a valid RS256 assertion with the documented claims', async () => {
    assert.equal(await source().getToken(), 'token-1');
    const iat = Math.floor(clock / 1000);
    assert.deepEqual(endpoint.assertions, [
      {
        header: { alg: 'RS256', typ: 'JWT', kid: 'key-1' },
        claims: {
          iss: CLIENT_EMAIL,
          scope: 'https://www.googleapis.com/auth/cloud-platform',
          aud: `${server.url}/token`,
          iat,
          exp: iat + 3600,
        },
      },
    ]);
    assert.equal(server.requests[0].url, '/token');
    assert.equal(server.requests[0].method, 'POST');
  });

  it('fetches once and reuses the token until shortly before expiry, then refreshes', async () => {
    const tokens = source();
    assert.equal(await tokens.getToken(), 'token-1');
    clock += 30 * 60_000;
    assert.equal(await tokens.getToken(), 'token-1');
    clock += 24 * 60_000; // 54 min: still more than the 5 min margin left
    assert.equal(await tokens.getToken(), 'token-1');
    assert.equal(endpoint.issued(), 1);
    clock += 2 * 60_000; // 56 min: inside the margin
    assert.equal(await tokens.getToken(), 'token-2');
    assert.equal(await tokens.getToken(), 'token-2');
    assert.equal(endpoint.issued(), 2);
    assert.equal(endpoint.assertions[1].claims.iat, Math.floor(clock / 1000));
  });

  it('concurrent callers share one in-flight fetch', async () => {
    const tokens = source();
    const all = await Promise.all(Array.from({ length: 8 }, () => tokens.getToken()));
    assert.deepEqual(all, Array(8).fill('token-1'));
    assert.equal(server.requests.length, 1);
  });

  it('a refused grant is an unauthorized error and is not cached', async () => {
    server.enqueue({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
    const tokens = source();
    await assert.rejects(tokens.getToken(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'unauthorized');
      assert.equal(
        error.message,
        'Vertex AI: the token endpoint refused the service account (HTTP 400, invalid_grant: Invalid JWT Signature.)',
      );
      assert.ok(!error.message.includes('PRIVATE KEY'));
      return true;
    });
    assert.equal(await tokens.getToken(), 'token-1');
  });

  it('a token endpoint 503 is retryable', async () => {
    server.enqueue({ status: 503, body: 'unavailable' });
    await assert.rejects(source().getToken(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'upstream_unavailable');
      assert.equal(error.retryable, true);
      return true;
    });
  });

  it('an unreadable credentials file is an unauthorized error without the path or key', async () => {
    const tokens = new AccessTokenSource({
      loadAccount: () => readServiceAccountFile('/nonexistent/sa.json'),
    });
    await assert.rejects(tokens.getToken(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'unauthorized');
      assert.equal(error.message, 'Vertex AI: cannot read the service account credentials file');
      return true;
    });
  });
});
