// Contract: trace groups and spend reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeTrace } from '../traces/test-support/make-trace.ts';
import type { StoreRef } from './contract.ts';

const T = 1_700_000_000_000;
const DAY = 86_400_000;

function groupContract(ref: StoreRef): void {
  test('createTraceGroup stores a group; creating the same id again returns it unchanged', async () => {
    const before = Date.now();
    const group = await ref.store.createTraceGroup({
      id: 'run-1',
      name: 'nightly eval',
      metadata: { suite: 'a' },
    });
    assert.deepEqual(
      { ...group, createdAt: 0 },
      {
        id: 'run-1',
        name: 'nightly eval',
        status: 'open',
        metadata: { suite: 'a' },
        createdAt: 0,
        completedAt: null,
      },
    );
    assert.ok(group.createdAt >= before && group.createdAt <= Date.now());
    assert.deepEqual(
      await ref.store.createTraceGroup({ id: 'run-1', name: 'other', metadata: { x: 1 } }),
      group,
    );
    const generated = await ref.store.createTraceGroup({ name: 'no id' });
    assert.match(generated.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(generated.metadata, {});
  });

  test('getTraceGroup returns the calls oldest first and totals over known costs', async () => {
    await ref.store.createTraceGroup({ id: 'run-2', name: 'agent run' });
    const calls = [
      makeTrace({ id: 'c2', traceGroupId: 'run-2', createdAt: T + 1000, latencyMs: 500, costUsd: null }),
      makeTrace({ id: 'c1', traceGroupId: 'run-2', createdAt: T, latencyMs: 300, costUsd: 0.25 }),
      makeTrace({
        id: 'c3',
        traceGroupId: 'run-2',
        createdAt: T + 2000,
        latencyMs: 700,
        costUsd: 0.125,
        status: 'error',
        usage: { inputTokens: 7, outputTokens: 0 },
        requestBody: '{"secret":1}',
      }),
      makeTrace({ id: 'other', traceGroupId: 'run-x', costUsd: 9 }),
    ];
    await ref.store.insertTraces(calls);
    const detail = await ref.store.getTraceGroup('run-2');
    assert.ok(detail);
    assert.deepEqual(
      detail.calls.map((c) => c.id),
      ['c1', 'c2', 'c3'],
    );
    assert.equal('requestBody' in detail.calls[2], false);
    assert.deepEqual(detail.totals, {
      calls: 3,
      errors: 1,
      inputTokens: 207,
      outputTokens: 40,
      costUsd: 0.375,
      unknownCostCalls: 1,
      latencyMs: 1500,
      spanMs: 2700,
    });
  });

  test('group totals: no calls, and only unknown costs, give a null cost', async () => {
    await ref.store.createTraceGroup({ id: 'empty', name: 'e' });
    assert.deepEqual((await ref.store.getTraceGroup('empty'))?.totals, {
      calls: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      unknownCostCalls: 0,
      latencyMs: 0,
      spanMs: 0,
    });
    await ref.store.createTraceGroup({ id: 'unknown', name: 'u' });
    await ref.store.insertTraces([makeTrace({ id: 'u1', traceGroupId: 'unknown', costUsd: null })]);
    const totals = (await ref.store.getTraceGroup('unknown'))?.totals;
    assert.deepEqual([totals?.costUsd, totals?.unknownCostCalls], [null, 1]);
    assert.equal(await ref.store.getTraceGroup('missing'), undefined);
  });

  test('completeTraceGroup sets status and completion time and merges metadata', async () => {
    await ref.store.createTraceGroup({ id: 'run-3', name: 'r', metadata: { a: 1, b: 2 } });
    const before = Date.now();
    const done = await ref.store.completeTraceGroup('run-3', { status: 'failed', metadata: { b: 3, c: 4 } });
    assert.ok(done?.completedAt && done.completedAt >= before);
    const stored = await ref.store.getTraceGroup('run-3');
    assert.deepEqual(
      { status: stored?.status, metadata: stored?.metadata, completedAt: stored?.completedAt },
      { status: 'failed', metadata: { a: 1, b: 3, c: 4 }, completedAt: done?.completedAt },
    );
    assert.deepEqual({ ...done, calls: stored?.calls, totals: stored?.totals }, stored);
    await ref.store.createTraceGroup({ id: 'run-4', name: 'r' });
    assert.equal((await ref.store.completeTraceGroup('run-4'))?.status, 'completed');
    assert.equal(await ref.store.completeTraceGroup('missing'), undefined);
  });
}

function spendSeed() {
  return [
    makeTrace({
      id: 's1',
      createdAt: T,
      provider: 'openai',
      resolvedModel: 'gpt-a',
      keyId: 'k1',
      costUsd: 0.5,
    }),
    makeTrace({
      id: 's2',
      createdAt: T + 10,
      provider: 'openai',
      resolvedModel: 'gpt-a',
      keyId: 'k2',
      costUsd: null,
    }),
    makeTrace({
      id: 's3',
      createdAt: T + DAY,
      provider: 'anthropic',
      requestedModel: 'claude-b',
      resolvedModel: null,
      keyId: 'k1',
      projectId: null,
      costUsd: 0.25,
      usage: { inputTokens: 1000, outputTokens: 300 },
    }),
    makeTrace({
      id: 's4',
      createdAt: T + 2 * DAY,
      provider: null,
      resolvedModel: null,
      requestedModel: null,
      costUsd: null,
    }),
  ];
}

function spendContract(ref: StoreRef): void {
  const row = (
    group: string | null,
    requests: number,
    input: number,
    output: number,
    cost: number | null,
    unknown: number,
  ) => ({
    group,
    requests,
    inputTokens: input,
    outputTokens: output,
    costUsd: cost,
    unknownCostRequests: unknown,
  });

  test('spend by model and by provider: known cost first, unknown costs counted', async () => {
    await ref.store.insertTraces(spendSeed());
    assert.deepEqual(await ref.store.spend({ groupBy: 'model' }), [
      row('gpt-a', 2, 200, 40, 0.5, 1),
      row('claude-b', 1, 1000, 300, 0.25, 0),
      row(null, 1, 100, 20, null, 1),
    ]);
    assert.deepEqual(await ref.store.spend({ groupBy: 'provider' }), [
      row('openai', 2, 200, 40, 0.5, 1),
      row('anthropic', 1, 1000, 300, 0.25, 0),
      row(null, 1, 100, 20, null, 1),
    ]);
  });

  test('spend by key, project and UTC day, within a time range', async () => {
    await ref.store.insertTraces(spendSeed());
    assert.deepEqual(await ref.store.spend({ groupBy: 'key' }), [
      row('k1', 2, 1100, 320, 0.75, 0),
      row('k2', 1, 100, 20, null, 1),
      row('key_a', 1, 100, 20, null, 1),
    ]);
    assert.deepEqual(await ref.store.spend({ groupBy: 'project', from: T + 5 }), [
      row(null, 1, 1000, 300, 0.25, 0),
      row('proj_a', 2, 200, 40, null, 2),
    ]);
    assert.deepEqual(await ref.store.spend({ groupBy: 'day' }), [
      row('2023-11-14', 2, 200, 40, 0.5, 1),
      row('2023-11-15', 1, 1000, 300, 0.25, 0),
      row('2023-11-16', 1, 100, 20, null, 1),
    ]);
    assert.deepEqual(await ref.store.spend({ groupBy: 'day', from: T + 10, to: T + DAY }), [
      row('2023-11-14', 1, 100, 20, null, 1),
    ]);
    assert.deepEqual(await ref.store.spend({ groupBy: 'model', from: T + 3 * DAY }), []);
  });
}

export function groupsAndSpendContract(ref: StoreRef): void {
  describe('trace groups', () => groupContract(ref));
  describe('spend', () => spendContract(ref));
}
