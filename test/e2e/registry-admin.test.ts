// The admin API for stored model entries, through the real server and the official openai SDK against a
// fake OpenAI upstream: an entry routes and prices requests at once, a new price applies to the next
// request, a deletion brings back the config entry (or a 404), entries survive a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ConfigFile } from '../../src/config/schema.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAITextStreamChunks } from '../fakes/openai.ts';
import { jsonOf, startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const dir = mkdtempSync(join(tmpdir(), 'sy-registry-'));
const DATABASE = `sqlite:${join(dir, 'switchyard.db')}`;
const CONFIG: ConfigFile = {
  models: [
    {
      id: 'chat',
      deployments: [{ provider: 'openai', model: 'gpt-4o-mini', price: { input: 1, output: 2 } }],
    },
  ],
};
const USAGE = { prompt: 1000, completion: 500 };
const messages = [{ role: 'user' as const, content: 'hi' }];

let upstream: FakeServer;
let gateway: TestGateway;

async function startGateway(): Promise<TestGateway> {
  return startTestGateway({
    env: {
      SWITCHYARD_DATABASE_URL: DATABASE,
      OPENAI_API_KEY: 'sk-upstream',
      OPENAI_BASE_URL: `${upstream.url}/v1`,
    },
    config: CONFIG,
  });
}

function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${gateway.url}/v1/admin/models${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined && {
      body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      headers: { 'content-type': 'application/json' },
    }),
  });
}

function client(): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
}

/** One plain request answered with USAGE; what the upstream was asked, and the cost the gateway reported. */
async function ask(model: string) {
  upstream.enqueue(openAICompletion({ model: 'upstream-model', usage: USAGE }));
  const { data, response } = await client().chat.completions.create({ model, messages }).withResponse();
  const sent = upstream.requests.at(-1)?.json as { model: string };
  await gateway.runtime.traceWriter?.flush();
  const trace = await gateway.runtime.store?.getTrace(response.headers.get('x-request-id') ?? '');
  return {
    upstreamModel: sent.model,
    headerCost: response.headers.get('x-switchyard-cost-usd'),
    usageCost: (data.usage as { cost?: number } | undefined)?.cost,
    traceCost: trace?.costUsd,
  };
}

/** USD for USAGE at the given prices per million tokens, worked out by hand in each test. */
function assertCost(seen: Awaited<ReturnType<typeof ask>>, expected: number): void {
  assert.ok(Math.abs(Number(seen.headerCost) - expected) < 1e-12, `header ${seen.headerCost} ≠ ${expected}`);
  assert.ok(
    Math.abs((seen.usageCost ?? -1) - expected) < 1e-12,
    `usage.cost ${seen.usageCost} ≠ ${expected}`,
  );
  assert.ok(Math.abs((seen.traceCost ?? -1) - expected) < 1e-12, `trace ${seen.traceCost} ≠ ${expected}`);
}

async function notFound(model: string): Promise<void> {
  const before = upstream.requests.length;
  const error = await client()
    .chat.completions.create({ model, messages })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof OpenAI.NotFoundError, `expected a 404 for ${model}, got ${String(error)}`);
  assert.equal(upstream.requests.length, before, 'no upstream call for an unknown model');
}

const TEAM = {
  deployments: [
    {
      provider: 'openai',
      model: 'ft:gpt-4o-mini:acme:team',
      price: { input: 3, output: 12 },
      context_window: 64000,
    },
  ],
};

before(async () => {
  upstream = await startFakeServer();
  gateway = await startGateway();
});
after(async () => {
  await gateway.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin API: stored model entries', () => {
  test('PUT creates an entry: requests route to its deployment and are billed at its price', async () => {
    await notFound('team-model');
    const created = await admin('/team-model', { method: 'PUT', body: TEAM });
    assert.equal(created.status, 201);
    const body = await jsonOf(created);
    assert.deepEqual(
      { ...body, updated_at: undefined },
      {
        id: 'team-model',
        object: 'model_entry',
        ...TEAM,
        updated_at: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(String(body.updated_at))));
    assert.deepEqual(await jsonOf(await admin('/team-model')), body);
    assert.deepEqual(await jsonOf(await admin('')), { object: 'list', data: [body] });

    const seen = await ask('team-model');
    assert.equal(seen.upstreamModel, 'ft:gpt-4o-mini:acme:team');
    // 1000 input tokens at $3/M + 500 output tokens at $12/M
    assertCost(seen, 0.003 + 0.006);

    const card = await jsonOf(await fetch(`${gateway.url}/v1/models/team-model`));
    assert.equal(card.source, 'store');
    assert.equal(card.context_window, 64000);
    assert.deepEqual(card.pricing, { currency: 'USD', unit: 'per_million_tokens', input: 3, output: 12 });
    const listed = (await jsonOf(await fetch(`${gateway.url}/v1/models`))).data as Array<{ id: string }>;
    assert.ok(listed.some((model) => model.id === 'team-model'));
  });

  test('PUT again replaces it: the next request, plain or streamed, uses the new price', async () => {
    const replaced = await admin('/team-model', {
      method: 'PUT',
      body: { id: 'team-model', deployments: [{ ...TEAM.deployments[0], price: { input: 0.5, output: 1 } }] },
    });
    assert.equal(replaced.status, 200);
    // 1000 × $0.5/M + 500 × $1/M
    assertCost(await ask('team-model'), 0.0005 + 0.0005);

    upstream.enqueue({
      chunks: openAITextStreamChunks({ pieces: ['a', 'b'], includeUsage: true, usage: USAGE }),
    });
    const stream = await client().chat.completions.create({
      model: 'team-model',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let cost: number | undefined;
    for await (const chunk of stream) cost = (chunk.usage as { cost?: number } | null)?.cost ?? cost;
    assert.ok(Math.abs((cost ?? -1) - 0.001) < 1e-12, `streamed usage.cost ${cost}`);
  });

  test('the entry survives a restart on the same SQLite file', async () => {
    await gateway.close();
    gateway = await startGateway();
    const seen = await ask('team-model');
    assert.equal(seen.upstreamModel, 'ft:gpt-4o-mini:acme:team');
    assertCost(seen, 0.001);
  });

  test('a stored entry overrides the config entry with its id; DELETE brings the config one back', async () => {
    assertCost(await ask('chat'), 0.001 + 0.001);
    const put = await admin('/chat', {
      method: 'PUT',
      body: { deployments: [{ provider: 'openai', model: 'gpt-4o', price: { input: 10, output: 20 } }] },
    });
    assert.equal(put.status, 201);
    const stored = await ask('chat');
    assert.equal(stored.upstreamModel, 'gpt-4o');
    assertCost(stored, 0.01 + 0.01);

    const deleted = await admin('/chat', { method: 'DELETE' });
    assert.deepEqual(
      { status: deleted.status, body: await deleted.json() },
      { status: 200, body: { id: 'chat', object: 'model_entry', deleted: true } },
    );
    const back = await ask('chat');
    assert.equal(back.upstreamModel, 'gpt-4o-mini');
    assertCost(back, 0.001 + 0.001);

    const again = await admin('/chat', { method: 'DELETE' });
    assert.equal(again.status, 404);
    const error = (await jsonOf(again)).error;
    assert.equal(error.type, 'not_found_error');
    assert.match(String(error.message), /No stored model entry "chat" \(it is defined in the config file/);
  });

  test('DELETE removes the entry: the model is a 404 again everywhere', async () => {
    assert.equal((await admin('/team-model', { method: 'DELETE' })).status, 200);
    await notFound('team-model');
    assert.equal((await fetch(`${gateway.url}/v1/models/team-model`)).status, 404);
    const missing = await admin('/team-model');
    assert.equal(missing.status, 404);
    assert.equal((await jsonOf(missing)).error.param, 'id');
    assert.deepEqual(await jsonOf(await admin('')), { object: 'list', data: [] });
  });

  test('an entry named `provider/model` prices that pin; its deployment also prices the inferred model', async () => {
    const unpriced = await ask('openai/acme-tune');
    assert.equal(unpriced.headerCost, 'unknown');
    assert.equal(unpriced.traceCost, null);

    const put = await admin('/openai/acme-tune', {
      method: 'PUT',
      body: { deployments: [{ provider: 'openai', model: 'acme-tune', price: { input: 2, output: 4 } }] },
    });
    assert.equal(put.status, 201);
    const pinned = await ask('openai/acme-tune');
    assert.equal(pinned.upstreamModel, 'acme-tune');
    assertCost(pinned, 0.002 + 0.002);
    const card = await jsonOf(await fetch(`${gateway.url}/v1/models/openai/acme-tune`));
    assert.deepEqual(card.pricing, { currency: 'USD', unit: 'per_million_tokens', input: 2, output: 4 });

    // `gpt-acme` is inferred to OpenAI; the entry for its pin prices it (the path may be URL-encoded)
    assert.equal((await ask('gpt-acme')).headerCost, 'unknown');
    const inferred = await admin('/openai%2Fgpt-acme', {
      method: 'PUT',
      body: { deployments: [{ provider: 'openai', model: 'gpt-acme', price: { input: 1, output: 1 } }] },
    });
    assert.equal(inferred.status, 201);
    assert.equal((await jsonOf(inferred)).id, 'openai/gpt-acme');
    const seen = await ask('gpt-acme');
    assert.equal(seen.upstreamModel, 'gpt-acme');
    assertCost(seen, 0.001 + 0.0005);
    for (const id of ['openai/acme-tune', 'openai/gpt-acme'])
      assert.equal((await admin(`/${id}`, { method: 'DELETE' })).status, 200);
  });
});

describe('admin API: validation', () => {
  const cases: Array<{ name: string; id: string; body: unknown; param: string | null; message: RegExp }> = [
    {
      name: 'a price that is not a number',
      id: 'bad',
      body: { deployments: [{ provider: 'openai', model: 'm', price: { input: '3' } }] },
      param: 'deployments[0].price.input',
      message: /deployments\[0\]\.price\.input: Invalid input: expected number/,
    },
    {
      name: 'an unknown provider',
      id: 'bad',
      body: {
        deployments: [
          { provider: 'openai', model: 'm' },
          { provider: 'nowhere', model: 'm' },
        ],
      },
      param: 'deployments[1].provider',
      message: /unknown provider "nowhere"/,
    },
    {
      name: 'no deployments',
      id: 'bad',
      body: { deployments: [] },
      param: 'deployments',
      message: /deployments: Too small/,
    },
    {
      name: 'a field the schema does not have (a key is never accepted, nor echoed)',
      id: 'bad',
      body: { deployments: [{ provider: 'openai', model: 'm', api_key: 'sk-do-not-echo' }] },
      param: 'deployments[0]',
      message: /Unrecognized key: "api_key"/,
    },
    {
      name: 'a body id that differs from the path',
      id: 'bad',
      body: { id: 'other', deployments: [{ provider: 'openai', model: 'm' }] },
      param: 'id',
      message: /differs from the id in the path/,
    },
    {
      name: 'an id a model string cannot reach',
      id: 'smart/cheap',
      body: { deployments: [{ provider: 'openai', model: 'm' }] },
      param: 'id',
      message: /name routing policies and presets/,
    },
    {
      name: 'an id with a ranking suffix',
      id: 'fast:latency',
      body: { deployments: [{ provider: 'openai', model: 'm' }] },
      param: 'id',
      message: /selects a ranking/,
    },
    {
      name: 'a body that is not JSON',
      id: 'bad',
      body: '{"deployments": [',
      param: null,
      message: /not valid JSON/,
    },
  ];
  for (const { name, id, body, param, message } of cases) {
    test(`400 for ${name}; nothing is stored`, async () => {
      const before = await jsonOf(await admin(''));
      const response = await admin(`/${id}`, { method: 'PUT', body });
      const text = await response.text();
      assert.equal(response.status, 400, text);
      assert.ok(!text.includes('sk-do-not-echo'));
      const error = JSON.parse(text).error;
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, param);
      assert.match(error.message, message);
      assert.deepEqual(await jsonOf(await admin('')), before);
    });
  }

  test('an unknown method on the collection is a 405', async () => {
    const response = await admin('', { method: 'POST', body: {} });
    assert.equal(response.status, 405);
  });
});

describe('admin API: access', () => {
  test('with a master key every admin route needs it', async () => {
    const keyed = await startTestGateway({ env: { SWITCHYARD_MASTER_KEY: 'sy-master' } });
    try {
      const url = `${keyed.url}/v1/admin/models`;
      const entry = JSON.stringify({ deployments: [{ provider: 'openai', model: 'm' }] });
      const attempts = [
        await fetch(url),
        await fetch(`${url}/x`, { method: 'PUT', body: entry }),
        await fetch(`${url}/x`, { method: 'DELETE' }),
        await fetch(url, { headers: { authorization: 'Bearer wrong' } }),
      ];
      for (const response of attempts) {
        assert.equal(response.status, 401);
        assert.equal((await jsonOf(response)).error.type, 'authentication_error');
      }
      const auth = { authorization: 'Bearer sy-master' };
      const put = await fetch(`${url}/x`, { method: 'PUT', body: entry, headers: auth });
      assert.equal(put.status, 201);
      const listed = await jsonOf(await fetch(url, { headers: auth }));
      assert.deepEqual(
        (listed.data as Array<{ id: string }>).map((model) => model.id),
        ['x'],
      );
    } finally {
      await keyed.close();
    }
  });

  test('without a master key the admin API works only while the gateway is bound to loopback', async () => {
    const open = await startTestGateway();
    try {
      assert.equal((await fetch(`${open.url}/v1/admin/models`)).status, 200);
      // startGateway refuses a non-loopback bind without a key; the route checks again on its own
      open.runtime.settings.host = '0.0.0.0';
      const refused = await fetch(`${open.url}/v1/admin/models`);
      assert.equal(refused.status, 403);
      assert.match(String((await jsonOf(refused)).error.message), /SWITCHYARD_MASTER_KEY/);
    } finally {
      await open.close();
    }
  });
});
