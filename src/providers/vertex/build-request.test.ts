import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { buildAnthropicMessagesBody } from '../anthropic/index.ts';
import { createVertexAdapter } from './index.ts';
import {
  makeServiceAccount,
  type TestServiceAccount,
  tokenEndpoint,
  vertexContext,
  vertexInstance,
} from './test-helpers.ts';

const ask: CanonicalRequest = {
  model: 'whatever-the-client-said',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
  ],
  maxOutputTokens: 64,
  stream: false,
  extra: {},
};

describe('vertex buildRequest', () => {
  let tokenServer: FakeServer;
  let account: TestServiceAccount;
  let endpoint: ReturnType<typeof tokenEndpoint>;
  const base = 'https://us-central1-aiplatform.googleapis.com';
  const prefix = `${base}/v1/projects/demo-project/locations/us-central1/publishers`;

  before(async () => {
    tokenServer = await startFakeServer();
    account = makeServiceAccount(`${tokenServer.url}/token`);
  });
  after(() => tokenServer.close());
  beforeEach(() => {
    tokenServer.reset();
    endpoint = tokenEndpoint(account.publicKey);
    tokenServer.setFallback(endpoint.reply);
  });

  const instance = () => vertexInstance(base, { credentialsFile: account.file });

  it('Gemini models: publishers/google URL, bearer token, the Gemini body', async () => {
    const adapter = createVertexAdapter();
    const upstream = await adapter.buildRequest(ask, vertexContext(instance(), 'gemini-2.5-pro'));
    assert.deepEqual(upstream, {
      method: 'POST',
      url: `${prefix}/google/models/gemini-2.5-pro:generateContent`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer token-1' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        systemInstruction: { parts: [{ text: 'Be terse.' }] },
        generationConfig: { maxOutputTokens: 64 },
      }),
    });
    const streamed = await adapter.buildRequest(
      { ...ask, stream: true },
      vertexContext(instance(), 'gemini-2.5-pro'),
    );
    assert.equal(streamed.url, `${prefix}/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse`);
    assert.equal(endpoint.issued(), 1, 'the token is fetched once and reused');
  });

  it('Gemini models on Vertex forward labels', async () => {
    const context = vertexContext(instance(), 'gemini-2.5-flash');
    const upstream = await createVertexAdapter().buildRequest(
      { ...ask, extra: { labels: { team: 'a' } } },
      context,
    );
    assert.deepEqual(JSON.parse(String(upstream.body)).labels, { team: 'a' });
    assert.deepEqual(context.warnings.items, []);
  });

  it('Claude models: publishers/anthropic rawPredict / streamRawPredict, Anthropic body with vertex version, no model', async () => {
    const adapter = createVertexAdapter();
    const model = 'claude-sonnet-4-5@20250929';
    const context = vertexContext(instance(), model);
    const upstream = await adapter.buildRequest(ask, context);
    const expectedBody = {
      anthropic_version: 'vertex-2023-10-16',
      ...buildAnthropicMessagesBody(ask, vertexContext(instance(), model)),
    };
    assert.deepEqual(upstream, {
      method: 'POST',
      url: `${prefix}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer token-1' },
      body: JSON.stringify(expectedBody),
    });
    const body = JSON.parse(String(upstream.body));
    assert.equal(body.model, undefined);
    assert.equal(body.max_tokens, 64);
    const streamed = await adapter.buildRequest({ ...ask, stream: true }, vertexContext(instance(), model));
    assert.equal(streamed.url, `${prefix}/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
    assert.deepEqual(JSON.parse(String(streamed.body)), { ...expectedBody, stream: true });
  });

  it('the global location and a base URL override shape the host', async () => {
    const adapter = createVertexAdapter();
    const global = vertexInstance('https://aiplatform.googleapis.com', {
      credentialsFile: account.file,
      location: 'global',
    });
    const upstream = await adapter.buildRequest(ask, vertexContext(global, 'gemini-2.5-flash'));
    assert.equal(
      upstream.url,
      'https://aiplatform.googleapis.com/v1/projects/demo-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    );
  });

  it('passthrough for Gemini models keeps the body and alt; Claude models refuse it', async () => {
    const adapter = createVertexAdapter();
    const body = { contents: [{ role: 'user', parts: [{ text: 'x' }] }] };
    const passthrough = (model: string, path: string) =>
      adapter.buildPassthroughRequest!(structuredClone(body), {
        target: vertexContext(instance(), model).target,
        path,
        stream: path === ':streamGenerateContent',
        clientHeaders: {},
        encodeBody: (body) => JSON.stringify(body),
      });
    assert.deepEqual(await passthrough('gemini-2.5-flash', ':streamGenerateContent'), {
      method: 'POST',
      url: `${prefix}/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer token-1' },
      body: JSON.stringify(body),
    });
    await assert.rejects(
      async () => passthrough('claude-opus-4-1', ':generateContent'),
      (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_operation',
    );
  });

  it('different credentials get different token sources', async () => {
    const adapter = createVertexAdapter();
    const other = { ...instance(), id: 'vertex-eu' };
    await adapter.buildRequest(ask, vertexContext(instance(), 'gemini-2.5-flash'));
    const upstream = await adapter.buildRequest(ask, vertexContext(other, 'gemini-2.5-flash'));
    assert.equal(upstream.headers.authorization, 'Bearer token-2');
  });

  it('inline credentials from the config work without a file', async () => {
    const inline = vertexInstance(base, { credentials: account.json });
    const upstream = await createVertexAdapter().buildRequest(ask, vertexContext(inline, 'gemini-2.5-flash'));
    assert.equal(upstream.headers.authorization, 'Bearer token-1');
  });
});
