// The traces and spend API through the real server: calls made with the official openai SDK, grouped by
// the x-switchyard-trace-id header, then read back over HTTP; retention with an injected clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ConfigFile } from '../../src/config/schema.ts';
import { makeTrace } from '../../src/traces/test-support/make-trace.ts';
import { parseSse } from '../../src/transport/sse.ts';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAIError } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const DAY = 86_400_000;
// USD per million tokens, set on the deployments (the catalog is not consulted for these)
const MINI = { input: 1, output: 2 };
const HAIKU = { input: 4, output: 8 };
const mini = { provider: 'openai', model: 'gpt-4o-mini', price: MINI };
const haiku = { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', price: HAIKU };

const CONFIG: ConfigFile = {
  traces: { retention_days: 10, payload_retention_days: 2, log_payloads: true },
  models: [
    { id: 'chat-a', deployments: [mini] },
    { id: 'chat-b', deployments: [haiku] },
    { id: 'unpriced', deployments: [{ provider: 'openai', model: 'my-private-finetune-xyz' }] },
    { id: 'short-lived', data_retention_days: 1, deployments: [mini] },
    { id: 'no-retention', data_retention_days: 0, deployments: [mini] },
  ],
};

let openai: FakeServer;
let anthropic: FakeServer;
before(async () => {
  [openai, anthropic] = await Promise.all([startFakeServer(), startFakeServer()]);
});
after(() => Promise.all([openai.close(), anthropic.close()]));

function start(config: ConfigFile = CONFIG): Promise<TestGateway> {
  return startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-a',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
    config,
  });
}

function sdk(gateway: TestGateway, traceId?: string): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: 'c',
    maxRetries: 0,
    defaultHeaders: traceId ? { 'x-switchyard-trace-id': traceId } : {},
  });
}

const messages = [{ role: 'user' as const, content: 'hello' }];

// Each helper makes one call and returns the gateway's request id (the trace id).
async function callMini(client: OpenAI, usage: { prompt: number; completion: number }, id?: string) {
  openai.enqueue(openAICompletion({ model: 'gpt-4o-mini', usage }));
  const { response } = await client.chat.completions
    .create({ model: 'chat-a', messages }, id ? { headers: { 'x-request-id': id } } : {})
    .withResponse();
  return response.headers.get('x-request-id') as string;
}

async function streamHaiku(client: OpenAI, usage: { input: number; output: number }, id?: string) {
  anthropic.enqueue({
    chunks: anthropicStream({
      model: 'claude-3-5-haiku-20241022',
      text: ['Hel', 'lo'],
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    }),
  });
  const { data, response } = await client.chat.completions
    .create({ model: 'chat-b', messages, stream: true }, id ? { headers: { 'x-request-id': id } } : {})
    .withResponse();
  for await (const _chunk of data) {
    // drain
  }
  return response.headers.get('x-request-id') as string;
}

async function failMini(client: OpenAI, id?: string) {
  openai.enqueue(openAIError(400, 'bad', 'invalid_request_error', 'invalid_value'));
  const error = await client.chat.completions
    .create({ model: 'chat-a', messages }, id ? { headers: { 'x-request-id': id } } : {})
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof OpenAI.APIError);
  return error.headers?.get('x-request-id') as string;
}

async function callModel(client: OpenAI, model: string, usage = { prompt: 10, completion: 5 }) {
  openai.enqueue(openAICompletion({ model: 'gpt-4o-mini', usage }));
  const { response } = await client.chat.completions.create({ model, messages }).withResponse();
  return response.headers.get('x-request-id') as string;
}

// biome-ignore lint/suspicious/noExplicitAny: reply bodies are read field by field in assertions
type Json = Record<string, any>;

async function get(gateway: TestGateway, path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${gateway.url}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

async function post(
  gateway: TestGateway,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

function near(actual: unknown, expected: number, what: string): void {
  assert.equal(typeof actual, 'number', `${what} is a number`);
  assert.ok(Math.abs((actual as number) - expected) < 1e-12, `${what}: ${actual} ≈ ${expected}`);
}

const ms = (iso: string) => Date.parse(iso);

describe('trace groups and single traces', () => {
  let gateway: TestGateway;
  const ids: string[] = [];
  before(async () => {
    gateway = await start();
  });
  after(() => gateway.close());

  test('POST /v1/traces creates a group; creating it again returns it unchanged', async () => {
    const before = Date.now();
    const created = await post(gateway, '/v1/traces', {
      id: 'run-42',
      name: 'agent run',
      metadata: { user: 'u1' },
    });
    assert.equal(created.status, 200);
    assert.deepEqual(
      { ...created.body, created_at: null },
      {
        object: 'trace_group',
        id: 'run-42',
        name: 'agent run',
        status: 'open',
        metadata: { user: 'u1' },
        created_at: null,
        completed_at: null,
      },
    );
    assert.ok(ms(created.body.created_at) >= before - 1 && ms(created.body.created_at) <= Date.now());
    const again = await post(gateway, '/v1/traces', { id: 'run-42', name: 'other' });
    assert.deepEqual(again.body, created.body);
  });

  test('calls carrying x-switchyard-trace-id are the group: calls in order, totals from deployment prices', async () => {
    const client = sdk(gateway, 'run-42');
    ids.push(await callMini(client, { prompt: 1000, completion: 500 }));
    ids.push(await streamHaiku(client, { input: 2000, output: 100 }));
    ids.push(await failMini(client));
    const { status, body } = await get(gateway, '/v1/traces/run-42');
    assert.equal(status, 200);
    assert.equal(body.object, 'trace_group');
    assert.equal(body.status, 'open');
    const calls = body.calls as Json[];
    assert.deepEqual(
      calls.map((call) => [
        call.id,
        call.trace_group_id,
        call.requested_model,
        call.resolved_model,
        call.provider,
        call.status,
        call.stream,
        call.usage.input_tokens,
        call.usage.output_tokens,
      ]),
      [
        [ids[0], 'run-42', 'chat-a', 'gpt-4o-mini', 'openai', 'ok', false, 1000, 500],
        [ids[1], 'run-42', 'chat-b', 'claude-3-5-haiku-20241022', 'anthropic', 'ok', true, 2000, 100],
        [ids[2], 'run-42', 'chat-a', 'chat-a', null, 'error', false, 0, 0],
      ],
    );
    assert.deepEqual(calls[2].error, { code: 'invalid_request', message: 'bad' });
    assert.equal(calls[2].http_status, 400);
    assert.equal('request_body' in calls[0], false, 'listings carry no bodies');
    // 1000 × $1/M + 500 × $2/M; 2000 × $4/M + 100 × $8/M; the failed call had no usage
    const costs = [1000 / 1e6 + 1000 / 1e6, 8000 / 1e6 + 800 / 1e6, 0];
    for (const [i, call] of calls.entries()) near(call.cost_usd, costs[i], `cost of call ${i}`);
    const latency = calls.reduce((sum, call) => sum + call.latency_ms, 0);
    const starts = calls.map((call) => ms(call.created_at));
    const ends = calls.map((call) => ms(call.created_at) + call.latency_ms);
    const totals = body.totals as Json;
    near(totals.cost_usd, 0.002 + 0.0088, 'total cost');
    assert.deepEqual(
      { ...totals, cost_usd: null },
      {
        calls: 3,
        errors: 1,
        input_tokens: 3000,
        output_tokens: 600,
        cost_usd: null,
        unknown_cost_calls: 0,
        latency_ms: latency,
        span_ms: Math.max(...ends) - Math.min(...starts),
      },
    );
  });

  test('POST /v1/traces/{id}/complete sets the status and merges the metadata', async () => {
    const before = Date.now();
    const done = await post(gateway, '/v1/traces/run-42/complete', {
      status: 'failed',
      metadata: { verdict: 'tool loop' },
    });
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'failed');
    assert.deepEqual(done.body.metadata, { user: 'u1', verdict: 'tool loop' });
    assert.ok(ms(done.body.completed_at) >= before - 1);
    const { body } = await get(gateway, '/v1/traces/run-42');
    assert.equal(body.status, 'failed');
    assert.equal(body.completed_at, done.body.completed_at);
    assert.equal(body.calls.length, 3);
  });

  test('GET /v1/traces/{request id} is that trace, with the bodies exactly as sent and answered', async () => {
    const { status, body } = await get(gateway, `/v1/traces/${ids[0]}`);
    assert.equal(status, 200);
    assert.equal(body.object, 'trace');
    assert.equal(body.id, ids[0]);
    assert.deepEqual(body.usage, {
      input_tokens: 1000,
      output_tokens: 500,
      cache_read_tokens: null,
      cache_write_tokens: null,
      reasoning_tokens: null,
      estimated: false,
    });
    assert.deepEqual(
      body.attempts.map((a: Json) => [a.provider, a.model, a.status, a.http_status]),
      [['openai', 'gpt-4o-mini', 'ok', 200]],
    );
    assert.deepEqual(JSON.parse(body.request_body), { model: 'chat-a', messages });
    const answered = openAICompletion({ model: 'gpt-4o-mini', usage: { prompt: 1000, completion: 500 } })
      .body as {
      usage: Record<string, unknown>;
    };
    // the client's reply carries the cost: 1000 × MINI.input/M + 500 × MINI.output/M
    answered.usage.cost = (1000 * MINI.input + 500 * MINI.output) / 1e6;
    assert.deepEqual(JSON.parse(body.response_body), answered);
    const created = ms(body.created_at);
    assert.equal(ms(body.payload_expires_at), created + 2 * DAY);
    assert.equal(ms(body.record_expires_at), created + 10 * DAY);
  });

  test('a streamed trace keeps the stream the client received', async () => {
    const { body } = await get(gateway, `/v1/traces/${ids[1]}`);
    assert.deepEqual(JSON.parse(body.request_body), { model: 'chat-b', messages, stream: true });
    const frames: string[] = [];
    const bytes = (async function* () {
      yield new TextEncoder().encode(body.response_body);
    })();
    for await (const frame of parseSse(bytes)) frames.push(frame.data);
    assert.equal(frames.at(-1), '[DONE]');
    const text = frames
      .slice(0, -1)
      .map((data) => (JSON.parse(data) as Json).choices[0]?.delta?.content ?? '')
      .join('');
    assert.equal(text, 'Hello');
  });

  test('a group only named by the header is listed too, and can be completed', async () => {
    const id = await callMini(sdk(gateway, 'implicit-7'), { prompt: 3, completion: 4 });
    const { body } = await get(gateway, '/v1/traces/implicit-7');
    assert.deepEqual(
      { ...body, calls: body.calls.map((call: Json) => call.id), totals: body.totals.calls },
      {
        object: 'trace_group',
        id: 'implicit-7',
        name: 'implicit-7',
        status: 'open',
        metadata: {},
        created_at: body.calls[0].created_at,
        completed_at: null,
        calls: [id],
        totals: 1,
      },
    );
    const done = await post(gateway, '/v1/traces/implicit-7/complete');
    assert.equal(done.status, 200);
    assert.deepEqual([done.body.id, done.body.status], ['implicit-7', 'completed']);
    assert.equal((await get(gateway, '/v1/traces/implicit-7')).body.status, 'completed');
  });

  test("a model entry's data_retention_days sets the trace's expiry; 0 keeps no bodies", async () => {
    const client = sdk(gateway);
    const short = (await get(gateway, `/v1/traces/${await callModel(client, 'short-lived')}`)).body;
    assert.equal(ms(short.record_expires_at), ms(short.created_at) + DAY);
    assert.equal(ms(short.payload_expires_at), ms(short.created_at) + DAY);
    assert.deepEqual(JSON.parse(short.request_body), { model: 'short-lived', messages });
    const none = (await get(gateway, `/v1/traces/${await callModel(client, 'no-retention')}`)).body;
    assert.equal(none.record_expires_at, none.created_at);
    assert.deepEqual([none.payload_expires_at, none.request_body, none.response_body], [null, null, null]);
    ids.push(short.id, none.id);
  });

  test('the purge job, with an injected clock, clears bodies and then rows as they expire', async () => {
    const retention = gateway.runtime.retention;
    assert.ok(retention);
    const created = ms((await get(gateway, `/v1/traces/${ids[0]}`)).body.created_at);
    const [short, none] = [ids[3], ids[4]];
    const first = await retention.runOnce(created + 1.5 * DAY);
    assert.deepEqual(first, {
      at: created + 1.5 * DAY,
      tracesDeleted: 2,
      payloadsCleared: 0,
      responsesDeleted: 0,
    });
    assert.equal((await get(gateway, `/v1/traces/${short}`)).status, 404);
    assert.equal((await get(gateway, `/v1/traces/${none}`)).status, 404);
    assert.notEqual((await get(gateway, `/v1/traces/${ids[0]}`)).body.request_body, null);

    const second = await retention.runOnce(created + 3 * DAY);
    assert.deepEqual([second.tracesDeleted, second.payloadsCleared], [0, 4]);
    const kept = (await get(gateway, `/v1/traces/${ids[0]}`)).body;
    assert.deepEqual([kept.request_body, kept.response_body, kept.payload_expires_at], [null, null, null]);
    assert.equal(ms(kept.record_expires_at), created + 10 * DAY);

    const third = await retention.runOnce(created + 11 * DAY);
    assert.deepEqual([third.tracesDeleted, third.payloadsCleared], [4, 0]);
    const group = (await get(gateway, '/v1/traces/run-42')).body;
    assert.deepEqual([group.calls, group.totals.calls, group.totals.cost_usd], [[], 0, null]);
  });
});

describe('listing, filters, pagination and spend', () => {
  let gateway: TestGateway;
  let startedAt: number;
  before(async () => {
    gateway = await start();
    startedAt = Date.now();
    const client = sdk(gateway);
    await callMini(client, { prompt: 100, completion: 50 }, 'r1');
    await streamHaiku(client, { input: 200, output: 20 }, 'r2');
    await failMini(client, 'r3');
    openai.enqueue(
      openAICompletion({ model: 'my-private-finetune-xyz', usage: { prompt: 10, completion: 5 } }),
    );
    await client.chat.completions.create(
      { model: 'unpriced', messages },
      { headers: { 'x-request-id': 'r4' } },
    );
    anthropic.enqueue({
      body: anthropicMessage({
        model: 'claude-3-5-haiku-20241022',
        text: 'hi',
        usage: { input_tokens: 300, output_tokens: 30 },
      }),
    });
    await client.chat.completions.create(
      { model: 'chat-b', messages },
      { headers: { 'x-request-id': 'r5' } },
    );
  });
  after(() => gateway.close());

  const idsOf = (body: Json) => (body.data as Json[]).map((trace) => trace.id);

  test('GET /v1/traces lists newest first; filters by model, provider, status and time', async () => {
    const all = (await get(gateway, '/v1/traces')).body;
    assert.equal(all.object, 'list');
    assert.equal(all.has_more, false);
    assert.equal(all.next_cursor, null);
    const order = [...(all.data as Json[])]
      .sort((a, b) => ms(b.created_at) - ms(a.created_at) || (b.id < a.id ? -1 : 1))
      .map((trace) => trace.id);
    assert.deepEqual(idsOf(all), order);
    assert.deepEqual([...idsOf(all)].sort(), ['r1', 'r2', 'r3', 'r4', 'r5']);
    const sorted = async (query: string) => idsOf((await get(gateway, `/v1/traces?${query}`)).body).sort();
    assert.deepEqual(await sorted('model=chat-a'), ['r1', 'r3']);
    assert.deepEqual(await sorted('model=claude-3-5-haiku-20241022'), ['r2', 'r5']);
    assert.deepEqual(await sorted('provider=anthropic'), ['r2', 'r5']);
    assert.deepEqual(await sorted('status=error'), ['r3']);
    assert.deepEqual(await sorted('status=ok&provider=openai'), ['r1', 'r4']);
    assert.deepEqual(await sorted('key=some-key'), []);
    assert.deepEqual(await sorted(`from=${startedAt}`), ['r1', 'r2', 'r3', 'r4', 'r5']);
    const later = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual(await sorted(`from=${encodeURIComponent(later)}`), []);
    assert.deepEqual(await sorted(`to=${startedAt - 1}`), []);
    const today = new Date(startedAt).toISOString().slice(0, 10);
    assert.deepEqual(await sorted(`from=${today}&status=error`), ['r3']);
  });

  test('pages of 2 walk the whole list with the cursor, each trace once', async () => {
    const full = idsOf((await get(gateway, '/v1/traces')).body);
    const seen: string[] = [];
    const more: boolean[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = (await get(gateway, `/v1/traces?${query}`)).body;
      seen.push(...idsOf(page));
      more.push(page.has_more);
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, full);
    assert.deepEqual(more, [true, true, false]);
  });

  test('GET /v1/spend groups by model and provider with exact tokens and costs', async () => {
    const spend = async (query: string) => (await get(gateway, `/v1/spend?${query}`)).body;
    const byModel = await spend('group_by=model');
    assert.deepEqual(
      [byModel.object, byModel.group_by, byModel.from, byModel.to],
      ['list', 'model', null, null],
    );
    assertRows(byModel.data, [
      // 200 × $4/M + 20 × $8/M, and 300 × $4/M + 30 × $8/M
      ['claude-3-5-haiku-20241022', 2, 500, 50, 0.00096 + 0.00144, 0],
      ['gpt-4o-mini', 1, 100, 50, 0.0001 + 0.0001, 0],
      ['chat-a', 1, 0, 0, 0, 0],
      ['my-private-finetune-xyz', 1, 10, 5, null, 1],
    ]);
    assertRows((await spend('group_by=provider')).data, [
      ['anthropic', 2, 500, 50, 0.0024, 0],
      ['openai', 2, 110, 55, 0.0002, 1],
      [null, 1, 0, 0, 0, 0],
    ]);
  });

  test('GET /v1/spend by day, and a from/to range', async () => {
    const today = new Date(startedAt).toISOString().slice(0, 10);
    const twoDaysAgo = Date.parse(today) - 2 * DAY + 12 * 3600_000;
    await gateway.runtime.store!.insertTraces([
      makeTrace({
        id: 'old',
        createdAt: twoDaysAgo,
        usage: { inputTokens: 7, outputTokens: 3 },
        costUsd: 0.5,
      }),
    ]);
    const oldDay = new Date(twoDaysAgo).toISOString().slice(0, 10);
    const byDay = (await get(gateway, '/v1/spend?group_by=day')).body;
    assertRows(byDay.data, [
      [oldDay, 1, 7, 3, 0.5, 0],
      [today, 5, 610, 105, 0.0026, 1],
    ]);
    const recent = (await get(gateway, `/v1/spend?group_by=day&from=${today}`)).body;
    assert.deepEqual([recent.from, recent.to], [`${today}T00:00:00.000Z`, null]);
    assertRows(recent.data, [[today, 5, 610, 105, 0.0026, 1]]);
    const older = (await get(gateway, `/v1/spend?group_by=provider&to=${Date.parse(today)}`)).body;
    assertRows(older.data, [['openai', 1, 7, 3, 0.5, 0]]);
  });

  test('bad query values are 400s and unknown ids 404s, in the OpenAI error shape', async () => {
    const error = async (path: string, status: number) => {
      const reply = await get(gateway, path);
      assert.equal(reply.status, status, path);
      return reply.body.error as Json;
    };
    assert.deepEqual(await error('/v1/traces?limit=0', 400), {
      message: 'limit must be an integer from 1 to 1000',
      type: 'invalid_request_error',
      param: 'limit',
      code: 'invalid_request',
    });
    assert.equal((await error('/v1/traces?limit=1001', 400)).param, 'limit');
    assert.equal((await error('/v1/traces?status=pending', 400)).param, 'status');
    assert.equal((await error('/v1/traces?from=yesterday', 400)).param, 'from');
    assert.equal((await error('/v1/traces?from=2025-02-30T99:00', 400)).param, 'from');
    assert.equal((await error('/v1/traces?to=1&from=2', 400)).param, 'from');
    assert.equal((await error('/v1/traces?cursor=not-a-cursor', 400)).param, 'cursor');
    assert.equal((await error('/v1/traces?modle=x', 400)).param, 'modle');
    assert.equal((await error('/v1/traces?model=', 400)).param, 'model');
    assert.equal((await error('/v1/spend?group_by=week', 400)).param, 'group_by');
    assert.deepEqual(await error('/v1/traces/no-such-id', 404), {
      message: "No trace or trace group with id 'no-such-id'",
      type: 'not_found_error',
      param: 'id',
      code: 'not_found',
    });
    const missingName = await post(gateway, '/v1/traces', { metadata: {} });
    assert.equal(missingName.status, 400);
    assert.equal(missingName.body.error.param, 'name');
    const extra = await post(gateway, '/v1/traces', { name: 'x', colour: 'red' });
    assert.deepEqual([extra.status, extra.body.error.param], [400, 'colour']);
    const badId = await post(gateway, '/v1/traces', { id: 'has space', name: 'x' });
    assert.deepEqual([badId.status, badId.body.error.param], [400, 'id']);
    const unknown = await post(gateway, '/v1/traces/no-such-group/complete', {});
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'not_found']);
  });
});

type Row = [
  group: string | null,
  requests: number,
  input: number,
  output: number,
  cost: number | null,
  unknown: number,
];

function assertRows(actual: Json[], expected: Row[]): void {
  assert.deepEqual(
    actual.map((row) => [
      row.group,
      row.requests,
      row.input_tokens,
      row.output_tokens,
      row.unknown_cost_requests,
    ]),
    expected.map(([group, requests, input, output, , unknown]) => [group, requests, input, output, unknown]),
  );
  actual.forEach((row, i) => {
    const cost = expected[i][4];
    if (cost === null) assert.equal(row.cost_usd, null, `cost of ${row.group}`);
    else near(row.cost_usd, cost, `cost of ${row.group}`);
  });
}

describe('defaults', () => {
  test('payload logging is off by default; rows are kept 30 days', async () => {
    const gateway = await start({ models: CONFIG.models });
    try {
      const id = await callMini(sdk(gateway), { prompt: 1, completion: 1 });
      const { body } = await get(gateway, `/v1/traces/${id}`);
      assert.deepEqual([body.request_body, body.response_body, body.payload_expires_at], [null, null, null]);
      assert.equal(ms(body.record_expires_at), ms(body.created_at) + 30 * DAY);
    } finally {
      await gateway.close();
    }
  });
});
