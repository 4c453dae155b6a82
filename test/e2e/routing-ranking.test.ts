// Choosing the deployment: variants, ranking learned from live traffic, the capability filter, request
// controls (`models`, `provider`, X-Provider), named policies and presets, and how a decision is explained.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAIError, openAITextStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const USER = [{ role: 'user' as const, content: 'x' }];

let cheap: FakeServer;
let pricey: FakeServer;
let groq: FakeServer;
let gateway: TestGateway;
let client: OpenAI;

before(async () => {
  [cheap, pricey, groq] = await Promise.all([startFakeServer(), startFakeServer(), startFakeServer()]);
  for (const server of [cheap, pricey, groq]) server.setFallback(openAICompletion({ content: 'ok' }));
  gateway = await startTestGateway({
    env: { GROQ_API_KEY: 'gsk', GROQ_BASE_URL: `${groq.url}/openai/v1` },
    config: {
      providers: {
        pricey: { type: 'openai', base_url: `${pricey.url}/v1`, api_key: 'k1' },
        cheap: { type: 'openai', base_url: `${cheap.url}/v1`, api_key: 'k2' },
      },
      models: [
        {
          id: 'duo',
          deployments: [
            { provider: 'pricey', model: 'big', price: { input: 10, output: 30 } },
            { provider: 'cheap', model: 'small', price: { input: 0.1, output: 0.4 } },
          ],
        },
        {
          id: 'vision',
          deployments: [
            { provider: 'cheap', model: 'text-only', capabilities: { images: false, tools: false } },
            { provider: 'pricey', model: 'sees-all', context_window: 1000 },
          ],
        },
        { id: 'solo', deployments: [{ provider: 'pricey', model: 'solo-model' }] },
      ],
      routing: {
        strategy: 'ordered',
        presets: { careful: { models: ['solo', 'duo'], sort: 'cost' } },
        policies: { cheapest: { models: ['solo', 'duo'], sort: 'cost' } },
      },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await Promise.all([cheap.close(), pricey.close(), groq.close()]);
});
afterEach(() => {
  for (const server of [cheap, pricey, groq]) server.reset();
});

const modelSent = (server: FakeServer) =>
  (server.requests.at(-1)?.json as { model: string } | undefined)?.model;

describe('variants', () => {
  test(':cost, :latency and :throughput re-rank one request; the eligible deployments stay the same', async () => {
    await client.chat.completions.create({ model: 'duo', messages: USER });
    assert.equal(modelSent(pricey), 'big', 'ordered by config');
    await client.chat.completions.create({ model: 'duo:cost', messages: USER });
    assert.equal(modelSent(cheap), 'small');
    assert.equal(pricey.requests.length, 1);
    const pinned = await client.chat.completions
      .create({ model: 'duo:cost', messages: USER, provider: { only: ['pricey'] } } as never)
      .withResponse();
    assert.equal(pinned.response.headers.get('x-switchyard-provider'), 'pricey');
    const route = await client.chat.completions
      .create({ model: 'duo:latency', messages: USER }, { headers: { 'x-switchyard-debug': 'route' } })
      .withResponse();
    const decision = JSON.parse(route.response.headers.get('x-switchyard-route')!);
    assert.equal(decision.variant, 'latency');
    assert.deepEqual(
      decision.candidates.map((candidate: { provider: string }) => candidate.provider).sort(),
      ['cheap', 'pricey'],
    );
  });
});

describe('ranking learned from traffic', () => {
  test('traffic moves away from a slow deployment', async () => {
    const [slow, fast] = await Promise.all([startFakeServer(), startFakeServer()]);
    const stream = { chunks: openAITextStreamChunks({ pieces: ['hi'], includeUsage: true }) };
    slow.setFallback({ ...stream, headerDelayMs: 700 });
    fast.setFallback(stream);
    const race = await startTestGateway({
      config: {
        providers: {
          slow: { type: 'openai', base_url: `${slow.url}/v1`, api_key: 'k' },
          fast: { type: 'openai', base_url: `${fast.url}/v1`, api_key: 'k' },
        },
        models: [
          {
            id: 'race',
            deployments: [
              { provider: 'slow', model: 's' },
              { provider: 'fast', model: 'f' },
            ],
          },
        ],
      },
    });
    const raceClient = new OpenAI({ baseURL: `${race.url}/v1`, apiKey: 'c', maxRetries: 0 });
    for (let i = 0; i < 5; i++) {
      const answer = await raceClient.chat.completions.create({
        model: 'race',
        stream: true,
        messages: USER,
      });
      for await (const _chunk of answer) {
        // drain
      }
    }
    // equal priors: the first request goes to the first listed; its 700 ms first token sends the rest away
    assert.equal(slow.requests.length, 1);
    assert.equal(fast.requests.length, 4);
    const card = (await (await fetch(`${race.url}/v1/models/race`)).json()) as {
      deployments: Array<{ provider: string; stats: { ttft_ms: number; samples: number } }>;
    };
    const stats = Object.fromEntries(card.deployments.map((d) => [d.provider, d.stats]));
    assert.ok(stats.slow.ttft_ms >= 700, `slow ttft ${stats.slow.ttft_ms}`);
    assert.ok(stats.fast.ttft_ms < 200, `fast ttft ${stats.fast.ttft_ms}`);
    assert.equal(stats.fast.samples, 4);
    await race.close();
    await Promise.all([slow.close(), fast.close()]);
  });
});

describe('weighted load balancing', () => {
  test('configured weights split the traffic', async () => {
    const [one, three] = await Promise.all([startFakeServer(), startFakeServer()]);
    one.setFallback(openAICompletion({ content: 'one' }));
    three.setFallback(openAICompletion({ content: 'three' }));
    const weighted = await startTestGateway({
      config: {
        providers: {
          one: { type: 'openai', base_url: `${one.url}/v1`, api_key: 'k' },
          three: { type: 'openai', base_url: `${three.url}/v1`, api_key: 'k' },
        },
        models: [
          {
            id: 'split',
            deployments: [
              { provider: 'one', model: 'a', weight: 1 },
              { provider: 'three', model: 'b', weight: 3 },
            ],
          },
        ],
      },
    });
    const weightedClient = new OpenAI({ baseURL: `${weighted.url}/v1`, apiKey: 'c', maxRetries: 0 });
    for (let i = 0; i < 120; i++)
      await weightedClient.chat.completions.create({ model: 'split', messages: USER });
    // one quarter expected (30 of 120); the bounds are far outside what chance produces
    assert.equal(one.requests.length + three.requests.length, 120);
    assert.ok(one.requests.length >= 10 && one.requests.length <= 55, `one got ${one.requests.length}`);
    await weighted.close();
    await Promise.all([one.close(), three.close()]);
  });
});

describe('capability filter', () => {
  test('a deployment that cannot serve the request is not chosen', async () => {
    await client.chat.completions.create({ model: 'vision', messages: USER });
    assert.equal(modelSent(cheap), 'text-only');
    await client.chat.completions.create({
      model: 'vision',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    assert.equal(modelSent(pricey), 'sees-all');
    assert.equal(cheap.requests.length, 1);
  });

  test('when none can, a 422 says why, without calling upstream', async () => {
    const error = await client.chat.completions
      .create({
        model: 'vision',
        messages: [{ role: 'user', content: 'y'.repeat(5000) }],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.UnprocessableEntityError);
    assert.equal(error.code, 'no_capable_deployment');
    assert.equal(
      error.message,
      '422 No deployment of `vision` can serve this request (cheap/text-only: does not support tools; pricey/sees-all: context window of 1000 tokens is too small for ~1250 prompt tokens).',
    );
    assert.equal(cheap.requests.length + pricey.requests.length, 0);
  });
});

describe('request controls', () => {
  test('a `models` fallback list from the SDK (extra body field) is tried after `model`, and never forwarded', async () => {
    pricey.enqueue(openAIError(503, 'down', 'server_error', null));
    const { data, response } = await client.chat.completions
      .create({ model: 'solo', messages: USER, models: ['vision'], temperature: 0 } as never)
      .withResponse();
    assert.equal(
      (data as { choices: Array<{ message: { content: string } }> }).choices[0].message.content,
      'ok',
    );
    assert.equal(response.headers.get('x-switchyard-provider'), 'cheap');
    assert.deepEqual(cheap.requests[0].json, { model: 'text-only', messages: USER, temperature: 0 });
  });

  test('provider order, ignore and allow_fallbacks', async () => {
    await client.chat.completions.create({
      model: 'duo',
      messages: USER,
      provider: { order: ['cheap'] },
    } as never);
    assert.equal(cheap.requests.length, 1);
    await client.chat.completions.create({
      model: 'duo',
      messages: USER,
      provider: { ignore: ['pricey'] },
    } as never);
    assert.equal(cheap.requests.length, 2);
    pricey.enqueue(openAIError(503, 'down', 'server_error', null));
    const error = await client.chat.completions
      .create({ model: 'duo', messages: USER, provider: { allow_fallbacks: false } } as never)
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.equal(cheap.requests.length, 2, 'no fallback');
  });

  test('X-Provider still bypasses ranking and fallbacks', async () => {
    pricey.enqueue(openAIError(503, 'down', 'server_error', null));
    const error = await client.chat.completions
      .create({ model: 'duo:cost', messages: USER }, { headers: { 'X-Provider': 'pricey' } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.equal(cheap.requests.length, 0);
  });

  test('unsupported provider fields are reported, not silently dropped', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'duo', messages: USER, provider: { data_collection: 'deny' } } as never)
      .withResponse();
    assert.equal(
      response.headers.get('x-switchyard-warnings'),
      'provider.data_collection: not supported by this gateway, ignored',
    );
  });
});

describe('named policies and presets', () => {
  test('smart/<name> ranks every deployment of its models together; built-in smart/cheap exists', async () => {
    await client.chat.completions.create({ model: 'smart/cheapest', messages: USER });
    assert.equal(modelSent(cheap), 'small');
    const { response } = await client.chat.completions
      .create({ model: 'smart/cheap', messages: USER }, { headers: { 'x-switchyard-debug': 'route' } })
      .withResponse();
    assert.equal(JSON.parse(response.headers.get('x-switchyard-route')!).policy, 'cheap');
  });

  test('@preset/<name> tries its models in order, each re-ranked by the preset', async () => {
    pricey.enqueue(openAIError(500, 'solo down', 'server_error', null));
    const { response } = await client.chat.completions
      .create({ model: '@preset/careful', messages: USER })
      .withResponse();
    assert.equal(modelSent(pricey), 'solo-model');
    assert.equal(modelSent(cheap), 'small', 'then duo, cheapest first');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
    const missing = await client.chat.completions
      .create({ model: '@preset/nope', messages: USER })
      .catch((e: unknown) => e);
    assert.ok(missing instanceof OpenAI.NotFoundError);
    assert.match(missing.message, /@preset\/nope.*defined: careful/);
  });
});

describe('explaining the decision', () => {
  test('x-switchyard-debug: route shows the candidates, their scores and why any was filtered out', async () => {
    const plain = await client.chat.completions.create({ model: 'duo', messages: USER }).withResponse();
    assert.equal(plain.response.headers.get('x-switchyard-route'), null);
    const { response } = await client.chat.completions
      .create(
        { model: 'vision', messages: USER, tools: [{ type: 'function', function: { name: 'f' } }] },
        { headers: { 'x-switchyard-debug': 'route' } },
      )
      .withResponse();
    const decision = JSON.parse(response.headers.get('x-switchyard-route')!);
    assert.deepEqual(decision.filtered, [
      { provider: 'cheap', model: 'text-only', model_id: 'vision', reason: 'does not support tools' },
    ]);
    assert.equal(decision.candidates.length, 1);
    assert.equal(decision.candidates[0].provider, 'pricey');
    const trace = await (async () => {
      await gateway.runtime.traceWriter!.flush();
      return gateway.runtime.store!.getTrace(response.headers.get('x-request-id')!);
    })();
    assert.deepEqual(trace?.route, decision, 'the trace keeps the same decision');
  });

  test('GET /v1/models/{id}: deployments with live stats; built-in aggregates too', async () => {
    await client.chat.completions.create({ model: 'duo', messages: USER });
    const duo = (await (await fetch(`${gateway.url}/v1/models/duo`)).json()) as {
      source: string;
      deployments: Array<{
        provider: string;
        active: boolean;
        pricing: { input: number };
        stats: Record<string, unknown>;
      }>;
    };
    assert.equal(duo.source, 'config');
    assert.deepEqual(
      duo.deployments.map((d) => [d.provider, d.active, d.pricing.input]),
      [
        ['pricey', true, 10],
        ['cheap', true, 0.1],
      ],
    );
    assert.equal(duo.deployments[0].stats.breaker, 'closed');
    assert.ok((duo.deployments[0].stats.samples as number) > 0);
    const llama = (await (await fetch(`${gateway.url}/v1/models/llama-3.3-70b`)).json()) as {
      source: string;
      deployments: Array<{ provider: string; model: string; active: boolean; stats?: unknown }>;
    };
    assert.equal(llama.source, 'builtin');
    assert.deepEqual(
      llama.deployments.map((d) => [d.provider, d.model, d.active]),
      [
        ['groq', 'llama-3.3-70b-versatile', true],
        ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', false],
        ['fireworks', 'accounts/fireworks/models/llama-v3p3-70b-instruct', false],
        ['cerebras', 'llama-3.3-70b', false],
        ['bedrock', 'us.meta.llama3-3-70b-instruct-v1:0', false],
      ],
    );
    assert.ok(llama.deployments[0].stats);
    const listed = await client.models.list();
    assert.ok(listed.data.some((model) => model.id === 'llama-3.3-70b'));
    await client.chat.completions.create({ model: 'llama-3.3-70b', messages: USER });
    assert.equal(modelSent(groq), 'llama-3.3-70b-versatile');
  });
});
