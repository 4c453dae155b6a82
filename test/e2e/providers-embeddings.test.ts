import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAIError } from '../fakes/openai.ts';
import { jsonOf, startTestGateway, type TestGateway, tokenUsage } from '../helpers/gateway.ts';

const VECTORS = [
  [0.5, -1, 0.25, 2],
  [1.5, 0, -0.75, 0.125],
];

const base64Of = (vector: number[]) => Buffer.from(new Float32Array(vector).buffer).toString('base64');

/** OpenAI's embeddings reply, in the encoding the request asked for. */
function embeddingsReply(request: { json: unknown }, model: string) {
  const format = (request.json as { encoding_format?: string }).encoding_format;
  return {
    status: 200,
    body: {
      object: 'list',
      data: VECTORS.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: format === 'base64' ? base64Of(vector) : vector,
      })),
      model,
      usage: { prompt_tokens: 6, total_tokens: 6 },
    },
  };
}

describe('POST /v1/embeddings through the gateway (official openai SDK)', () => {
  let openai: FakeServer;
  let azure: FakeServer;
  let anthropic: FakeServer;
  let gemini: FakeServer;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    [openai, azure, anthropic, gemini] = await Promise.all([
      startFakeServer(),
      startFakeServer(),
      startFakeServer(),
      startFakeServer(),
    ]);
    gateway = await startTestGateway({
      env: {
        OPENAI_API_KEY: 'sk-openai-upstream',
        OPENAI_BASE_URL: `${openai.url}/v1`,
        AZURE_OPENAI_API_KEY: 'azure-upstream-key',
        AZURE_OPENAI_ENDPOINT: azure.url,
        ANTHROPIC_API_KEY: 'sk-ant-upstream',
        ANTHROPIC_BASE_URL: anthropic.url,
        GEMINI_API_KEY: 'gemini-upstream-key',
        GEMINI_BASE_URL: gemini.url,
      },
      config: {
        models: [{ id: 'team-embedder', deployments: [{ provider: 'azure', model: 'emb-prod' }] }],
      },
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await Promise.all([openai.close(), azure.close(), anthropic.close(), gemini.close()]);
  });
  beforeEach(() => {
    for (const server of [openai, azure, anthropic, gemini]) server.reset();
  });

  test('embeddings.create → OpenAI: the exact body goes upstream, vectors and usage come back', async () => {
    openai.enqueue((request) => embeddingsReply(request, 'text-embedding-3-small'));
    const { data, response } = await client.embeddings
      .create({
        model: 'openai/text-embedding-3-small',
        input: ['hello', 'world'],
        dimensions: 4,
        user: 'u-1',
      })
      .withResponse();
    assert.deepEqual(
      data.data.map((item) => [item.index, Array.from(item.embedding)]),
      VECTORS.map((vector, index) => [index, vector]),
    );
    assert.deepEqual(tokenUsage(data.usage), { prompt_tokens: 6, total_tokens: 6 });
    assert.equal(data.model, 'text-embedding-3-small');
    assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
    assert.equal(openai.requests.length, 1);
    const sent = openai.requests[0];
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/v1/embeddings');
    assert.equal(sent.headers.authorization, 'Bearer sk-openai-upstream');
    assert.deepEqual(sent.json, {
      model: 'text-embedding-3-small',
      input: ['hello', 'world'],
      dimensions: 4,
      user: 'u-1',
      encoding_format: 'base64',
    });
  });

  test('an explicit float encoding and a bare model name inferred as OpenAI', async () => {
    openai.enqueue((request) => embeddingsReply(request, 'text-embedding-3-large'));
    const result = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'one text',
      encoding_format: 'float',
    });
    assert.deepEqual(result.data[1].embedding, VECTORS[1]);
    assert.deepEqual(openai.requests[0].json, {
      model: 'text-embedding-3-large',
      input: 'one text',
      encoding_format: 'float',
    });
  });

  test('embeddings.create → Azure: deployment URL, api-key header, same body', async () => {
    azure.enqueue((request) => embeddingsReply(request, 'text-embedding-3-small'));
    const result = await client.embeddings.create({ model: 'team-embedder', input: [[1, 2, 3]] });
    assert.deepEqual(Array.from(result.data[0].embedding), VECTORS[0]);
    const sent = azure.requests[0];
    assert.equal(sent.url, '/openai/deployments/emb-prod/embeddings?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'azure-upstream-key');
    assert.equal(sent.headers.authorization, undefined);
    assert.deepEqual(sent.json, { model: 'emb-prod', input: [[1, 2, 3]], encoding_format: 'base64' });
  });

  test('a provider without embeddings is a 422 naming the provider and the operation, never a reroute', async () => {
    for (const [model, provider] of [
      ['anthropic/claude-sonnet-4-5', 'anthropic'],
      ['claude-haiku-4-5', 'anthropic'],
      ['gemini-embedding-001', 'gemini'],
    ]) {
      const failed = await client.embeddings.create({ model, input: 'x' }).catch((caught: unknown) => caught);
      assert.ok(failed instanceof OpenAI.UnprocessableEntityError, `${model}: ${String(failed)}`);
      assert.equal(failed.status, 422);
      assert.deepEqual(failed.error, {
        message: `Provider ${provider} does not support embeddings through POST /v1/embeddings`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'unsupported_operation',
        details: { provider, operation: 'embeddings' },
      });
    }
    assert.equal(anthropic.requests.length + gemini.requests.length + openai.requests.length, 0);
  });

  test('an upstream error keeps its status and OpenAI body', async () => {
    // queued more than once: the executor may retry a 429 before it gives up
    const limited = openAIError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded');
    openai.enqueue(limited, limited, limited, limited);
    const failed = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: 'x' })
      .catch((caught: unknown) => caught);
    assert.ok(failed instanceof OpenAI.RateLimitError);
    assert.equal(failed.status, 429);
    assert.equal(failed.code, 'rate_limit_exceeded');
  });

  test('a body without model or input is a 400 with no upstream call', async () => {
    for (const [body, param] of [
      [{ input: 'x' }, 'model'],
      [{ model: 'text-embedding-3-small' }, 'input'],
      [{ model: 'text-embedding-3-small', input: [] }, 'input'],
      [{ model: 'text-embedding-3-small', input: { text: 'x' } }, 'input'],
    ] as const) {
      const response = await fetch(`${gateway.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 400);
      const reply = await jsonOf(response);
      assert.equal(reply.error.param, param);
      assert.equal(reply.error.code, 'invalid_request');
    }
    assert.equal(openai.requests.length, 0);
  });
});
