// The one contract every Store implementation passes. Run by sqlite.test.ts (always) and postgres.test.ts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { makeTrace, makeTraces } from '../traces/test-support/make-trace.ts';
import type { TraceRecord, TraceSummary } from '../traces/trace-record.ts';
import { groupsAndSpendContract } from './contract-groups-spend.ts';
import { responsesRegistryContract } from './contract-responses-registry.ts';
import type { Store } from './store.ts';

/** Opens a fresh, empty, migrated store. */
export type OpenTestStore = () => Promise<Store>;

export interface StoreRef {
  store: Store;
}

function summary(record: TraceRecord): TraceSummary {
  const { requestBody: _request, responseBody: _response, ...rest } = record;
  return rest;
}

const FULL: TraceRecord = makeTrace({
  id: 'req_full',
  createdAt: 1_700_000_123_456,
  traceGroupId: 'grp_1',
  clientProtocol: 'anthropic-messages',
  endpoint: '/v1/messages',
  requestedModel: 'claude-sonnet-4-6',
  resolvedModel: 'claude-sonnet-4-6',
  provider: 'anthropic',
  stream: true,
  finishReason: 'tool-calls',
  usage: {
    inputTokens: 1200,
    outputTokens: 340,
    cacheReadTokens: 1000,
    cacheWriteTokens: 100,
    reasoningTokens: 40,
    estimated: true,
  },
  costUsd: 0.0123,
  latencyMs: 2100,
  ttftMs: 350,
  warnings: ['temperature: ignored with reasoning', 'seed: not supported'],
  attempts: [
    {
      provider: 'anthropic-eu',
      model: 'claude-sonnet-4-6',
      deploymentId: 'dep-1',
      status: 'error',
      httpStatus: 529,
      errorCode: 'upstream_overloaded',
      errorMessage: 'Overloaded',
      latencyMs: 120,
      ttftMs: null,
      startedAt: 1_700_000_123_456,
      note: 'retry',
    },
    {
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      status: 'ok',
      httpStatus: 200,
      latencyMs: 1900,
      ttftMs: 350,
      startedAt: 1_700_000_123_700,
    },
  ],
  route: { policy: 'cost', candidates: ['anthropic', 'bedrock'], nested: { a: [1, 2, { b: null }] } },
  requestBody: '{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"héllo ✓"}]}',
  responseBody: '{"id":"msg_1","content":[]}',
  payloadExpiresAt: 1_700_086_400_000,
  recordExpiresAt: 1_702_592_000_000,
});

const MINIMAL: TraceRecord = makeTrace({
  id: 'req_min',
  keyId: null,
  projectId: null,
  requestedModel: null,
  resolvedModel: null,
  provider: null,
  status: 'error',
  httpStatus: 400,
  errorCode: 'invalid_request',
  errorMessage: 'messages: required',
  finishReason: null,
  usage: { inputTokens: 0, outputTokens: 0 },
  costUsd: null,
  latencyMs: 3,
  attempts: [],
});

function insertAndGetContract(ref: StoreRef): void {
  test('insertTraces then getTrace returns the same record', async () => {
    assert.equal(await ref.store.insertTraces([FULL, MINIMAL]), 2);
    assert.deepEqual(await ref.store.getTrace('req_full'), FULL);
    assert.deepEqual(await ref.store.getTrace('req_min'), MINIMAL);
    assert.equal(await ref.store.getTrace('nope'), undefined);
  });

  test('insertTraces is idempotent by id: a replayed batch inserts nothing twice', async () => {
    const [a, b, c] = makeTraces(3);
    assert.equal(await ref.store.insertTraces([a, b]), 2);
    assert.equal(await ref.store.insertTraces([a, b, c]), 1);
    assert.equal(await ref.store.insertTraces([a, b, c]), 0);
    assert.equal(await ref.store.insertTraces([]), 0);
    const page = await ref.store.listTraces({}, { limit: 10 });
    assert.deepEqual(
      page.items.map((t) => t.id),
      [c.id, b.id, a.id],
    );
    // the first write wins: a replay never overwrites
    await ref.store.insertTraces([{ ...a, status: 'error' }]);
    assert.equal((await ref.store.getTrace(a.id))?.status, 'ok');
  });

  test('insertTraces writes large batches (several statements) and a duplicate inside one batch once', async () => {
    const records = makeTraces(450, 'big');
    assert.equal(await ref.store.insertTraces([...records, records[7]]), 450);
    const rows = await ref.store.spend({ groupBy: 'key' });
    assert.deepEqual(
      rows.map((r) => [r.group, r.requests]),
      [['key_a', 450]],
    );
  });

  test('values a database would refuse are made safe: NUL characters, fractional and non-finite numbers', async () => {
    const record = makeTrace({
      id: 'req_odd',
      errorMessage: 'bad\u0000byte',
      warnings: ['w\u0000'],
      requestBody: 'a\u0000b',
      latencyMs: 12.6,
      ttftMs: Number.NaN,
      costUsd: Number.POSITIVE_INFINITY,
      usage: { inputTokens: 10.4, outputTokens: 2 },
    });
    assert.equal(await ref.store.insertTraces([record]), 1);
    assert.deepEqual(await ref.store.getTrace('req_odd'), {
      ...record,
      errorMessage: 'bad\uFFFDbyte',
      warnings: ['w\uFFFD'],
      requestBody: 'a\uFFFDb',
      latencyMs: 13,
      ttftMs: null,
      costUsd: null,
      usage: { inputTokens: 10, outputTokens: 2 },
    });
  });
}

function seedForListing(): TraceRecord[] {
  const t = 1_700_000_000_000;
  return [
    makeTrace({ id: 'l1', createdAt: t + 1, provider: 'openai', keyId: 'k1', projectId: 'p1' }),
    makeTrace({ id: 'l2', createdAt: t + 2, provider: 'anthropic', resolvedModel: 'claude-x', keyId: 'k2' }),
    makeTrace({ id: 'l3', createdAt: t + 3, status: 'error', httpStatus: 502, traceGroupId: 'g1' }),
    makeTrace({
      id: 'l4a',
      createdAt: t + 4,
      requestedModel: 'fast',
      resolvedModel: 'gpt-x',
      traceGroupId: 'g1',
    }),
    makeTrace({ id: 'l4b', createdAt: t + 4, projectId: 'p2' }),
    makeTrace({ id: 'l5', createdAt: t + 5, keyId: 'k1', requestBody: '{"big":true}' }),
    makeTrace({ id: 'l6', createdAt: t + 6, provider: 'anthropic', keyId: 'k2', status: 'error' }),
  ];
}

function listingContract(ref: StoreRef): void {
  const t = 1_700_000_000_000;
  const ids = async (filter: Parameters<Store['listTraces']>[0]) =>
    (await ref.store.listTraces(filter, { limit: 100 })).items.map((x) => x.id);

  test('listTraces pages newest first with an opaque cursor; ties ordered by id', async () => {
    const seeded = seedForListing();
    await ref.store.insertTraces(seeded);
    const first = await ref.store.listTraces({}, { limit: 3 });
    const byId = new Map(seeded.map((r) => [r.id, summary(r)]));
    assert.deepEqual(
      first.items,
      ['l6', 'l5', 'l4b'].map((id) => byId.get(id)),
    );
    assert.equal(typeof first.nextCursor, 'string');
    const second = await ref.store.listTraces({}, { limit: 3, cursor: first.nextCursor ?? undefined });
    assert.deepEqual(
      second.items.map((x) => x.id),
      ['l4a', 'l3', 'l2'],
    );
    const third = await ref.store.listTraces({}, { limit: 3, cursor: second.nextCursor ?? undefined });
    assert.deepEqual(
      third.items.map((x) => x.id),
      ['l1'],
    );
    assert.equal(third.nextCursor, null);
    const exact = await ref.store.listTraces({}, { limit: 7 });
    assert.equal(exact.items.length, 7);
    assert.equal(exact.nextCursor, null);
  });

  test('listTraces filters', async () => {
    await ref.store.insertTraces(seedForListing());
    assert.deepEqual(await ids({ from: t + 3, to: t + 5 }), ['l4b', 'l4a', 'l3']);
    assert.deepEqual(await ids({ model: 'claude-x' }), ['l2']);
    assert.deepEqual(await ids({ model: 'fast' }), ['l4a']);
    assert.deepEqual(await ids({ provider: 'anthropic' }), ['l6', 'l2']);
    assert.deepEqual(await ids({ keyId: 'k1' }), ['l5', 'l1']);
    assert.deepEqual(await ids({ projectId: 'p2' }), ['l4b']);
    assert.deepEqual(await ids({ status: 'error' }), ['l6', 'l3']);
    assert.deepEqual(await ids({ traceGroupId: 'g1' }), ['l4a', 'l3']);
    assert.deepEqual(await ids({ keyId: 'k2', status: 'error', provider: 'anthropic' }), ['l6']);
    assert.deepEqual(await ids({ keyId: 'nobody' }), []);
  });

  test('listTraces filters apply across pages, and a bad cursor is an invalid_request', async () => {
    await ref.store.insertTraces(seedForListing());
    const first = await ref.store.listTraces({ provider: 'openai' }, { limit: 2 });
    assert.deepEqual(
      first.items.map((x) => x.id),
      ['l5', 'l4b'],
    );
    const next = await ref.store.listTraces({ provider: 'openai' }, { limit: 2, cursor: first.nextCursor! });
    assert.deepEqual(
      next.items.map((x) => x.id),
      ['l4a', 'l3'],
    );
    await assert.rejects(ref.store.listTraces({}, { cursor: 'not-a-cursor' }), {
      name: 'GatewayError',
      code: 'invalid_request',
    });
  });
}

function purgeContract(ref: StoreRef): void {
  test('purgeTraces clears expired payloads and deletes expired rows', async () => {
    const now = 1_800_000_000_000;
    const body = { requestBody: '{"q":1}', responseBody: '{"a":2}' };
    await ref.store.insertTraces([
      makeTrace({ id: 'keep', ...body, payloadExpiresAt: now + 1, recordExpiresAt: now + 10 }),
      makeTrace({ id: 'strip', ...body, payloadExpiresAt: now, recordExpiresAt: now + 10 }),
      makeTrace({ id: 'strip-old', ...body, payloadExpiresAt: now - 5, recordExpiresAt: null }),
      makeTrace({ id: 'gone', ...body, payloadExpiresAt: now - 5, recordExpiresAt: now }),
      makeTrace({ id: 'forever' }),
    ]);
    assert.deepEqual(await ref.store.purgeTraces(now), { payloadsCleared: 2, tracesDeleted: 1 });
    assert.deepEqual(await ref.store.purgeTraces(now), { payloadsCleared: 0, tracesDeleted: 0 });
    assert.equal(await ref.store.getTrace('gone'), undefined);
    const strip = await ref.store.getTrace('strip');
    assert.deepEqual(
      [strip?.requestBody, strip?.responseBody, strip?.payloadExpiresAt, strip?.recordExpiresAt],
      [null, null, null, now + 10],
    );
    const keep = await ref.store.getTrace('keep');
    assert.deepEqual([keep?.requestBody, keep?.responseBody], ['{"q":1}', '{"a":2}']);
    assert.deepEqual(await ref.store.getTrace('forever'), makeTrace({ id: 'forever' }));
  });
}

function lifecycleContract(ref: StoreRef): void {
  test('migrate is idempotent; ping and integrityCheck succeed', async () => {
    assert.deepEqual(await ref.store.migrate(), []);
    assert.deepEqual(await ref.store.migrate(), []);
    await ref.store.ping();
    assert.deepEqual(await ref.store.integrityCheck(), { ok: true, details: ['ok'] });
  });

  test('a closed store refuses work, and close twice is harmless', async () => {
    await ref.store.close();
    await assert.rejects(ref.store.ping());
    await ref.store.close();
  });
}

/** Registers the whole contract; `open` must return a fresh, empty, migrated store each call. */
export function storeContract(open: OpenTestStore): void {
  const ref = {} as StoreRef;
  beforeEach(async () => {
    ref.store = await open();
  });
  afterEach(async () => {
    await ref.store.close();
  });
  describe('traces', () => {
    insertAndGetContract(ref);
    listingContract(ref);
    purgeContract(ref);
  });
  groupsAndSpendContract(ref);
  responsesRegistryContract(ref);
  describe('lifecycle', () => lifecycleContract(ref));
}
