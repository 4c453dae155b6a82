// For this folder's tests: a locally generated service account and a fake Google token endpoint that
// checks the JWT assertion's RS256 signature and claims before it hands out a token.
import { generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeServer, RecordedRequest, ScriptedReply } from '../../../test/fakes/fake-server.ts';
import { googleTokenReply } from '../../../test/fakes/gemini.ts';
import { type BuildContext, type ProviderInstance, Warnings } from '../../core/adapters.ts';

export const CLIENT_EMAIL = 'switchyard-test@demo-project.iam.gserviceaccount.com';

export interface TestServiceAccount {
  json: Record<string, string>;
  file: string;
  publicKey: KeyObject;
}

export function makeServiceAccount(tokenUri: string): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = {
    type: 'service_account',
    project_id: 'demo-project',
    private_key_id: 'key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: CLIENT_EMAIL,
    token_uri: tokenUri,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'switchyard-vertex-')), 'sa.json');
  writeFileSync(file, JSON.stringify(json));
  return { json, file, publicKey };
}

export interface VerifiedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Checks a token request; returns the decoded assertion, or a reason it is refused. */
export function verifyTokenRequest(
  request: RecordedRequest,
  publicKey: KeyObject,
): VerifiedAssertion | string {
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') return 'bad content-type';
  const form = new URLSearchParams(request.body);
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'bad grant_type';
  const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
  if (!signature) return 'no assertion';
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad signature';
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: decode(header), claims: decode(claims) };
}

/** Token endpoint reply factory: verifies, then hands out `token-1`, `token-2`, … */
export function tokenEndpoint(publicKey: KeyObject, expiresIn = 3600) {
  let issued = 0;
  const assertions: VerifiedAssertion[] = [];
  const reply = (request: RecordedRequest): ScriptedReply => {
    const verified = verifyTokenRequest(request, publicKey);
    if (typeof verified === 'string') {
      return { status: 400, body: { error: 'invalid_grant', error_description: verified } };
    }
    assertions.push(verified);
    issued++;
    return googleTokenReply(`token-${issued}`, expiresIn);
  };
  return { reply, assertions, issued: () => issued };
}

export function vertexInstance(
  server: FakeServer | string,
  options: Record<string, unknown>,
): ProviderInstance {
  return {
    id: 'vertex',
    type: 'vertex',
    baseUrl: typeof server === 'string' ? server : server.url,
    options: { project: 'demo-project', location: 'us-central1', ...options },
    source: 'env',
  };
}

export function vertexContext(provider: ProviderInstance, model: string): BuildContext {
  return {
    target: { provider, deployment: { provider: provider.id, model }, modelId: model },
    warnings: new Warnings(),
  };
}
