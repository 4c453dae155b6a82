import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, sleep } from './backoff.ts';
import { RetryBudget } from './retry-budget.ts';

describe('RetryBudget', () => {
  test('earns a share per request on top of a per-second reserve', () => {
    const budget = new RetryBudget({ ratio: 0.5, minPerSecond: 1 }, 0);
    assert.equal(budget.withdraw(0), true, 'the reserve');
    assert.equal(budget.withdraw(0), false);
    budget.deposit();
    assert.equal(budget.withdraw(0), false, 'half a retry earned');
    budget.deposit();
    assert.equal(budget.withdraw(0), true);
    assert.equal(budget.withdraw(500), false, 'the reserve refills over a second');
    assert.equal(budget.withdraw(1000), true);
  });

  test('without ratio or reserve, nothing beyond first attempts', () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 0 }, 0);
    for (let i = 0; i < 10; i++) budget.deposit();
    assert.equal(budget.withdraw(10_000), false);
  });
});

describe('backoff', () => {
  const settings = { initialMs: 100, maxMs: 1000 };

  test('grows exponentially with equal jitter, up to the maximum', () => {
    assert.equal(
      backoffDelay(0, settings, undefined, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, settings, undefined, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(2, settings, undefined, () => 0.5),
      300,
    );
    assert.equal(
      backoffDelay(10, settings, undefined, () => 1),
      1000,
    );
  });

  test('never shorter than retry-after', () => {
    assert.equal(
      backoffDelay(0, settings, 2000, () => 1),
      2000,
    );
    assert.equal(
      backoffDelay(3, settings, 10, () => 1),
      800,
    );
  });

  test('sleep ends early when the request is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();
    assert.equal(await waiting, false);
    assert.ok(Date.now() - started < 1000);
    assert.equal(await sleep(1), true);
  });
});
