// Fallback, retries, backoff, the circuit breaker and the retry budget, end to end through the openai SDK
// against fake upstreams that fail on demand.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ConfigFile } from '../../src/config/schema.ts';
import { type FakeServer, type ScriptedReply, sleep, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAIError } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const USER = [{ role: 'user' as const, content: 'x' }];

interface Fleet {
  a: FakeServer;
  b: FakeServer;
  c: FakeServer;
  gateway: TestGateway;
  client: OpenAI;
}

/** Three OpenAI-compatible fakes (providers a, b, c) and a gateway configured with `routing`. */
async function startFleet(routing: ConfigFile['routing'], extra: Partial<ConfigFile> = {}): Promise<Fleet> {
  const [a, b, c] = await Promise.all([startFakeServer(), startFakeServer(), startFakeServer()]);
  const gateway = await startTestGateway({
    config: {
      providers: {
        a: { type: 'openai', base_url: `${a.url}/v1`, api_key: 'sk-a' },
        b: { type: 'openai', base_url: `${b.url}/v1`, api_key: 'sk-b' },
        c: { type: 'openai', base_url: `${c.url}/v1`, api_key: 'sk-c' },
      },
      models: [
        {
          id: 'trio',
          deployments: [
            { provider: 'a', model: 'model-a' },
            { provider: 'b', model: 'model-b' },
            { provider: 'c', model: 'model-c' },
          ],
        },
        ...(extra.models ?? []),
      ],
      routing: { strategy: 'ordered', ...routing },
      ...(extra.providers && { providers: extra.providers }),
    },
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });
  return { a, b, c, gateway, client };
}

async function stopFleet(fleet: Fleet): Promise<void> {
  await fleet.gateway.close();
  await Promise.all([fleet.a.close(), fleet.b.close(), fleet.c.close()]);
}

function resetFleet(fleet: Fleet): void {
  for (const server of [fleet.a, fleet.b, fleet.c]) server.reset();
}

/** A reply that notes when it was asked for. */
function timed(times: number[], reply: ScriptedReply): () => ScriptedReply {
  return () => {
    times.push(Date.now());
    return reply;
  };
}

describe('fallback', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ circuit_breaker: { failure_threshold: 1000 } });
  });
  after(() => stopFleet(fleet));
  afterEach(() => resetFleet(fleet));

  test('walks the deployments in order past 500 and 529; the first that answers serves', async () => {
    fleet.a.enqueue(openAIError(500, 'a broke', 'server_error', null));
    fleet.b.enqueue({ status: 529, body: { error: { message: 'b overloaded', type: 'overloaded_error' } } });
    fleet.c.enqueue(openAICompletion({ content: 'from c', model: 'model-c' }));
    const { data, response } = await fleet.client.chat.completions
      .create({ model: 'trio', messages: USER })
      .withResponse();
    assert.equal(data.choices[0].message.content, 'from c');
    assert.equal(response.headers.get('x-switchyard-attempts'), '3');
    assert.equal(response.headers.get('x-switchyard-provider'), 'c');
    assert.deepEqual(
      [fleet.a, fleet.b, fleet.c].map((server) => (server.requests[0].json as { model: string }).model),
      ['model-a', 'model-b', 'model-c'],
    );
  });

  test('falls through on 408, 409, 429 and 5xx; never on a 4xx the request caused', async () => {
    for (const status of [408, 409, 429, 502, 503]) {
      resetFleet(fleet);
      fleet.a.enqueue(openAIError(status, `status ${status}`, 'server_error', null));
      fleet.b.enqueue(openAICompletion({ content: 'from b' }));
      const completion = await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
      assert.equal(completion.choices[0].message.content, 'from b', `after ${status}`);
    }
    for (const status of [400, 413, 422]) {
      resetFleet(fleet);
      fleet.a.enqueue(openAIError(status, `bad request ${status}`, 'invalid_request_error', 'invalid_value'));
      const error = await fleet.client.chat.completions
        .create({ model: 'trio', messages: USER })
        .catch((e: unknown) => e);
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, status);
      assert.equal(error.message, `${status} bad request ${status}`);
      assert.equal(fleet.b.requests.length, 0, `no fallback after ${status}`);
    }
  });

  test('a connection error falls through', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = await startFleet(
      {},
      {
        providers: {
          dead: { type: 'openai', base_url: `http://127.0.0.1:${port}/v1`, api_key: 'k' },
          live: { type: 'openai', base_url: `${fleet.b.url}/v1`, api_key: 'k' },
        },
        models: [
          {
            id: 'pair',
            deployments: [
              { provider: 'dead', model: 'x' },
              { provider: 'live', model: 'y' },
            ],
          },
        ],
      },
    );
    fleet.b.enqueue(openAICompletion({ content: 'alive' }));
    const completion = await dead.client.chat.completions.create({ model: 'pair', messages: USER });
    assert.equal(completion.choices[0].message.content, 'alive');
    await stopFleet(dead);
  });

  test('when every attempt fails, the error says what each attempt got', async () => {
    fleet.a.enqueue(openAIError(500, 'a broke', 'server_error', null));
    fleet.b.enqueue(openAIError(429, 'b is rate limited', 'rate_limit_error', 'rate_limit_exceeded'));
    fleet.c.enqueue({
      ...openAIError(503, 'c is down', 'server_error', null),
      headers: { 'retry-after': '3' },
    });
    const error = await fleet.client.chat.completions
      .create({ model: 'trio', messages: USER })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.equal(error.headers?.get('retry-after'), '3');
    assert.equal(error.headers?.get('x-switchyard-attempts'), '3');
    assert.equal(
      error.message,
      '503 All 3 attempts failed: a/model-a: 500 a broke; b/model-b: 429 b is rate limited; c/model-c: 503 c is down',
    );
  });

  test('every response carries x-switchyard-attempts, a 404 before any attempt too', async () => {
    const response = await fetch(`${fleet.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nope-model', messages: USER }),
    });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-switchyard-attempts'), '0');
  });
});

describe('retries and backoff', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({
      backoff: { initial_ms: 100, max_ms: 1000 },
      max_retry_after_ms: 2000,
      circuit_breaker: { failure_threshold: 1000 },
      presets: { patient: { models: ['trio'], retries: 2 } },
    });
  });
  after(() => stopFleet(fleet));
  afterEach(() => resetFleet(fleet));

  test('retries the same deployment with exponential backoff and jitter before moving on', async () => {
    const times: number[] = [];
    fleet.a.enqueue(
      timed(times, openAIError(503, 'busy', 'server_error', null)),
      timed(times, openAIError(503, 'busy', 'server_error', null)),
      timed(times, openAICompletion({ content: 'third time' })),
    );
    const completion = await fleet.client.chat.completions.create({
      model: '@preset/patient',
      messages: USER,
    });
    assert.equal(completion.choices[0].message.content, 'third time');
    assert.equal(fleet.b.requests.length, 0);
    // equal jitter: at least half of 100 ms, then at least half of 200 ms
    assert.ok(times[1] - times[0] >= 50, `first wait ${times[1] - times[0]}`);
    assert.ok(times[2] - times[1] >= 100, `second wait ${times[2] - times[1]}`);
  });

  test('honours retry-after; one too long to wait moves to the next deployment at once', async () => {
    const times: number[] = [];
    fleet.a.enqueue(
      timed(times, {
        ...openAIError(429, 'slow down', 'rate_limit_error', null),
        headers: { 'retry-after': '1' },
      }),
      timed(times, openAICompletion({ content: 'after the pause' })),
    );
    const completion = await fleet.client.chat.completions.create({
      model: '@preset/patient',
      messages: USER,
    });
    assert.equal(completion.choices[0].message.content, 'after the pause');
    assert.ok(times[1] - times[0] >= 1000, `waited ${times[1] - times[0]}`);
    resetFleet(fleet);
    fleet.a.enqueue({
      ...openAIError(429, 'come back later', 'rate_limit_error', null),
      headers: { 'retry-after': '30' },
    });
    fleet.b.enqueue(openAICompletion({ content: 'from b' }));
    const started = Date.now();
    const next = await fleet.client.chat.completions.create({ model: '@preset/patient', messages: USER });
    assert.ok(Date.now() - started < 1000);
    assert.equal(next.choices[0].message.content, 'from b');
    assert.equal(fleet.a.requests.length, 1);
    // a now cools for the 30 s it asked for: the next request does not even try it
    fleet.b.enqueue(openAICompletion({ content: 'from b again' }));
    await fleet.client.chat.completions.create({ model: '@preset/patient', messages: USER });
    assert.equal(fleet.a.requests.length, 1);
  });
});

describe('circuit breaker', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ circuit_breaker: { failure_threshold: 2, cooldown_ms: 400 } });
  });
  after(() => stopFleet(fleet));
  afterEach(() => resetFleet(fleet));

  test('opens after consecutive failures, cools the deployment, probes it back and closes', async () => {
    fleet.a.setFallback(openAIError(500, 'a is down', 'server_error', null));
    fleet.b.setFallback(openAICompletion({ content: 'from b' }));
    for (let i = 0; i < 2; i++) await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    assert.equal(fleet.a.requests.length, 2);
    const card = (await (await fetch(`${fleet.gateway.url}/v1/models/trio`)).json()) as {
      deployments: Array<{ provider: string; stats: { breaker: string; samples: number; uptime: number } }>;
    };
    assert.equal(card.deployments[0].stats.breaker, 'open');
    assert.equal(card.deployments[0].stats.samples, 2);
    // open: a is skipped (not called) while it cools
    const { response } = await fleet.client.chat.completions
      .create({ model: 'trio', messages: USER })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-attempts'), '1');
    assert.equal(fleet.a.requests.length, 2);
    await sleep(450);
    fleet.a.setFallback(openAICompletion({ content: 'a is back' }));
    const probe = await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    assert.equal(probe.choices[0].message.content, 'a is back');
    const closed = await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    assert.equal(closed.choices[0].message.content, 'a is back');
    assert.equal(fleet.a.requests.length, 4);
  });

  test('a failed probe opens it again', async () => {
    fleet.a.setFallback(openAIError(500, 'still down', 'server_error', null));
    fleet.b.setFallback(openAICompletion({ content: 'from b' }));
    for (let i = 0; i < 2; i++) await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    await sleep(450);
    await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    const probes = fleet.a.requests.length;
    await fleet.client.chat.completions.create({ model: 'trio', messages: USER });
    assert.equal(fleet.a.requests.length, probes, 'open again after the failed probe');
  });
});

describe('retry budget', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ retry_budget: { ratio: 0.5, min_per_second: 0 } });
  });
  after(() => stopFleet(fleet));
  afterEach(() => resetFleet(fleet));

  test('an outage cannot turn into a retry storm: extra attempts stop when the budget is spent', async () => {
    fleet.a.setFallback(openAIError(503, 'a is down', 'server_error', null));
    fleet.b.setFallback(openAIError(503, 'b is down', 'server_error', null));
    fleet.c.setFallback(openAIError(503, 'c is down', 'server_error', null));
    const attempts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const error = (await fleet.client.chat.completions
        .create({ model: 'trio', messages: USER }, { headers: { 'x-switchyard-debug': 'route' } })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      attempts.push(error.headers?.get('x-switchyard-attempts') ?? '');
      if (i === 0) {
        assert.match(error.message, /stopped: retry budget exhausted/);
        assert.equal(
          JSON.parse(error.headers?.get('x-switchyard-route') ?? '{}').stopped,
          'retry budget exhausted',
        );
      }
    }
    // each request earns half an extra attempt: one every second request
    assert.deepEqual(attempts, ['1', '2', '1', '2']);
    assert.equal(fleet.a.requests.length + fleet.b.requests.length + fleet.c.requests.length, 6);
  });
});
