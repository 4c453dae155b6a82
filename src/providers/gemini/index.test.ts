import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import gemini from './index.ts';
import { buildContext } from './test-helpers.ts';

describe('gemini module: instances', () => {
  it('fromEnv takes the first key of GEMINI_API_KEY, GOOGLE_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY', () => {
    assert.deepEqual(gemini.fromEnv({}), []);
    assert.deepEqual(gemini.fromEnv({ GOOGLE_GENERATIVE_AI_API_KEY: 'k3', GOOGLE_API_KEY: 'k2' }), [
      {
        id: 'gemini',
        type: 'gemini',
        baseUrl: 'https://generativelanguage.googleapis.com',
        apiKey: 'k2',
        options: {},
        source: 'env',
      },
    ]);
    assert.equal(gemini.fromEnv({ GEMINI_API_KEY: 'k1', GOOGLE_API_KEY: 'k2' })[0].apiKey, 'k1');
    assert.equal(gemini.fromEnv({ GOOGLE_GENERATIVE_AI_API_KEY: 'k3' })[0].apiKey, 'k3');
  });

  it('GEMINI_BASE_URL overrides the host, trailing slash removed', () => {
    const [instance] = gemini.fromEnv({ GEMINI_API_KEY: 'k', GEMINI_BASE_URL: 'http://127.0.0.1:9999/' });
    assert.equal(instance.baseUrl, 'http://127.0.0.1:9999');
  });

  it('fromConfig builds instances of type gemini only', () => {
    assert.equal(gemini.fromConfig?.('x', { type: 'anthropic' }, {}), undefined);
    assert.deepEqual(
      gemini.fromConfig?.(
        'gemini-eu',
        { type: 'gemini', base_url: 'https://proxy.example/', api_key: 'kk', headers: { 'x-a': '1' } },
        {},
      ),
      {
        id: 'gemini-eu',
        type: 'gemini',
        baseUrl: 'https://proxy.example',
        apiKey: 'kk',
        headers: { 'x-a': '1' },
        options: {},
        source: 'config',
      },
    );
    assert.equal(gemini.fromConfig?.('gemini', {}, { GOOGLE_API_KEY: 'env-key' })?.apiKey, 'env-key');
  });

  it('declares its protocol and operations', () => {
    assert.deepEqual(gemini.types, ['gemini']);
    assert.equal(gemini.adapter.wireProtocol, 'gemini');
    assert.deepEqual([...gemini.adapter.operations].sort(), ['chat', 'count-tokens', 'embeddings']);
  });
});

describe('gemini module: passthrough', () => {
  const target = buildContext().target;
  const passthrough = (body: Record<string, unknown>, path: string, query?: URLSearchParams) =>
    gemini.adapter.buildPassthroughRequest!(body, {
      target,
      path,
      stream: path === ':streamGenerateContent',
      clientHeaders: { 'x-goog-api-key': 'client-key' },
      query,
      encodeBody: (body) => JSON.stringify(body),
    });

  it('generateContent: body as it is, deployment model in the URL, gateway key in the header', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { topK: 3 } };
    assert.deepEqual(await passthrough(structuredClone(body), ':generateContent'), {
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key-123' },
      body: JSON.stringify(body),
    });
  });

  it('streaming keeps the alt the client asked for, SSE by default, and drops any other query', async () => {
    const base =
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent';
    assert.equal((await passthrough({}, ':streamGenerateContent')).url, `${base}?alt=sse`);
    assert.equal(
      (await passthrough({}, ':streamGenerateContent', new URLSearchParams('alt=json&key=leak'))).url,
      `${base}?alt=json`,
    );
  });

  it('countTokens and batchEmbedContents rename the model repeated inside the body', async () => {
    const count = await passthrough(
      { generateContentRequest: { model: 'models/alias', contents: [] } },
      ':countTokens',
    );
    assert.deepEqual(JSON.parse(String(count.body)), {
      generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [] },
    });
    const batch = await passthrough(
      { requests: [{ model: 'models/alias', content: { parts: [{ text: 'a' }] } }] },
      ':batchEmbedContents',
    );
    assert.deepEqual(JSON.parse(String(batch.body)), {
      requests: [{ model: 'models/gemini-2.5-flash', content: { parts: [{ text: 'a' }] } }],
    });
    assert.ok(batch.url.endsWith('/v1beta/models/gemini-2.5-flash:batchEmbedContents'));
  });

  it('an unknown method is refused', () => {
    assert.throws(
      () => passthrough({}, ':deleteEverything'),
      (error: unknown) => error instanceof GatewayError && error.code === 'not_found',
    );
  });
});
