import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Warnings } from '../../core/adapters.ts';
import { buildConverseBody } from './build-request.ts';
import { converseUrl } from './converse-url.ts';
import { authHeaders, createSigner, sigV4Headers } from './sign-request.ts';

// AWS documentation example credentials (not real).
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const DATETIME = '20250102T030405Z';
const BASE_URL = 'https://bedrock-runtime.us-east-1.amazonaws.com';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HELLO_BODY =
  '{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":256}}';

/** An independent SigV4 (test only) to cross-check aws4fetch on paths the reference vector does not cover. */
function referenceSignature(canonicalRequest: string, region: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const scope = `${DATETIME.slice(0, 8)}/${region}/bedrock/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    DATETIME,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, DATETIME.slice(0, 8));
  for (const part of [region, 'bedrock', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('converseUrl', () => {
  it('encodes a foundation model id (":" → %3A)', () => {
    assert.equal(
      converseUrl(BASE_URL, HAIKU, false),
      `${BASE_URL}/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse`,
    );
  });

  it('encodes a cross-region inference profile id for converse-stream', () => {
    assert.equal(
      converseUrl(`${BASE_URL}/`, 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', true),
      `${BASE_URL}/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream`,
    );
  });

  it('encodes an ARN as one path segment ("/" → %2F)', () => {
    const arn = 'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0';
    assert.equal(
      converseUrl('https://bedrock-runtime.us-west-2.amazonaws.com', arn, false),
      'https://bedrock-runtime.us-west-2.amazonaws.com/model/' +
        'arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.meta.llama3-3-70b-instruct-v1%3A0/converse',
    );
  });
});

describe('SigV4 signing', () => {
  it('reproduces the reference Bedrock Converse signature', async () => {
    const url = converseUrl(BASE_URL, HAIKU, false);
    const headers = await sigV4Headers({
      url,
      body: HELLO_BODY,
      headers: { 'content-type': 'application/json' },
      credentials: CREDENTIALS,
      region: 'us-east-1',
      datetime: DATETIME,
    });
    assert.deepEqual(headers, {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-east-1/bedrock/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=3c5bef3264e2041c663ac42b15ae1f952de750d37b10b4f712dde8387181bc92',
      'x-amz-date': DATETIME,
    });
  });

  it('the independent test signer also reproduces the reference signature', () => {
    const canonical = [
      'POST',
      '/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse',
      '',
      'content-type:application/json',
      'host:bedrock-runtime.us-east-1.amazonaws.com',
      `x-amz-date:${DATETIME}`,
      '',
      'content-type;host;x-amz-date',
      createHash('sha256').update(HELLO_BODY).digest('hex'),
    ].join('\n');
    assert.equal(
      referenceSignature(canonical, 'us-east-1'),
      '3c5bef3264e2041c663ac42b15ae1f952de750d37b10b4f712dde8387181bc92',
    );
  });

  it('signs the canonical request AWS computes (path segments encoded twice)', async () => {
    const signer = createSigner({
      url: converseUrl(BASE_URL, HAIKU, false),
      body: HELLO_BODY,
      headers: { 'content-type': 'application/json' },
      credentials: CREDENTIALS,
      region: 'us-east-1',
      datetime: DATETIME,
    });
    assert.equal(
      await signer.canonicalString(),
      [
        'POST',
        '/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse',
        '',
        'content-type:application/json',
        'host:bedrock-runtime.us-east-1.amazonaws.com',
        `x-amz-date:${DATETIME}`,
        '',
        'content-type;host;x-amz-date',
        createHash('sha256').update(HELLO_BODY).digest('hex'),
      ].join('\n'),
    );
  });

  it('the body built for a one-line prompt is byte-identical to the reference body', async () => {
    const body = await buildConverseBody(
      {
        model: HAIKU,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
        maxOutputTokens: 256,
        stream: false,
        extra: {},
      },
      HAIKU,
      { warnings: new Warnings() },
    );
    assert.equal(JSON.stringify(body), HELLO_BODY);
  });

  it('signs an ARN path with %253A and %252F and a session token, matching an independent signer', async () => {
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    const url = converseUrl('https://bedrock-runtime.eu-west-1.amazonaws.com', arn, true);
    const body = '{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}';
    const input = {
      url,
      body,
      headers: { 'content-type': 'application/json' },
      credentials: { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' },
      region: 'eu-west-1',
      datetime: DATETIME,
    };
    const canonical = [
      'POST',
      '/model/arn%253Aaws%253Abedrock%253Aeu-west-1%253A123456789012%253Aapplication-inference-profile%252Fa1b2c3d4e5f6/converse-stream',
      '',
      'content-type:application/json',
      'host:bedrock-runtime.eu-west-1.amazonaws.com',
      `x-amz-date:${DATETIME}`,
      'x-amz-security-token:FwoGZXIvYXdzEXAMPLETOKEN',
      '',
      'content-type;host;x-amz-date;x-amz-security-token',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    assert.equal(await createSigner(input).canonicalString(), canonical);
    assert.deepEqual(await sigV4Headers(input), {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/eu-west-1/bedrock/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, ' +
        `Signature=${referenceSignature(canonical, 'eu-west-1')}`,
      'x-amz-date': DATETIME,
      'x-amz-security-token': 'FwoGZXIvYXdzEXAMPLETOKEN',
    });
  });
});

describe('authHeaders', () => {
  const request = {
    url: converseUrl(BASE_URL, HAIKU, false),
    body: '{}',
    headers: { 'content-type': 'application/json' },
  };

  it('uses a Bedrock API key as a bearer token, without signing', async () => {
    assert.deepEqual(
      await authHeaders({ region: 'us-east-1', bearerToken: 'bedrock-api-key-123' }, request, 'bedrock'),
      {
        authorization: 'Bearer bedrock-api-key-123',
      },
    );
  });

  it('signs with access keys', async () => {
    const headers = await authHeaders({ region: 'us-east-1', ...CREDENTIALS }, request, 'bedrock');
    assert.match(
      headers.authorization,
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    assert.match(headers['x-amz-date'], /^\d{8}T\d{6}Z$/);
  });

  it('fails without credentials, naming no secret', async () => {
    await assert.rejects(
      authHeaders({ region: 'us-east-1', accessKeyId: 'AKIDEXAMPLE' }, request, 'my-bedrock'),
      {
        name: 'GatewayError',
        code: 'no_provider_key',
        message: 'Provider my-bedrock has no AWS credentials',
      },
    );
  });
});
