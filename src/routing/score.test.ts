import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryHealthStore } from './health.ts';
import { DEFAULT_WEIGHTS } from './routing-settings.ts';
import { orderScored, scoreCandidates } from './score.ts';
import { candidate } from './test-helpers.ts';

const breaker = { failureThreshold: 2, cooldownMs: 1000, maxCooldownMs: 1000 };
const names = (list: Array<{ candidate: { target: { provider: { id: string } } } }>) =>
  list.map((entry) => entry.candidate.target.provider.id);
const never = () => 0;

describe('ranking', () => {
  test('priors rank an unmeasured fast host first; equals keep their configured order', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [candidate('together', 'x'), candidate('groq', 'x'), candidate('fireworks', 'x')];
    const scored = scoreCandidates(list, health, DEFAULT_WEIGHTS, 0);
    assert.deepEqual(names(orderScored(scored, 'balanced', false, never)), ['groq', 'fireworks', 'together']);
    const twins = [candidate('alpha', 'x'), candidate('beta', 'x')];
    const tied = scoreCandidates(twins, health, DEFAULT_WEIGHTS, 0);
    assert.equal(tied[0].score, tied[1].score);
    assert.deepEqual(names(orderScored(tied, 'balanced', false, never)), ['alpha', 'beta']);
  });

  test('live latency moves a slow deployment down; differences of a few ms do not', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [candidate('alpha', 'x'), candidate('beta', 'x')];
    health.recordSuccess('alpha/x', { ttftMs: 5 }, 0);
    health.recordSuccess('beta/x', { ttftMs: 9 }, 0);
    const close = scoreCandidates(list, health, DEFAULT_WEIGHTS, 0);
    assert.ok(Math.abs(close[0].score - close[1].score) < 0.01);
    health.recordSuccess('alpha/x', { ttftMs: 3000 }, 0);
    const ordered = orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), 'balanced', false, never);
    assert.deepEqual(names(ordered), ['beta', 'alpha']);
    assert.ok(Math.abs(ordered[1].ttftMs - 903.5) < 1e-9, 'EWMA: 0.7 × 5 + 0.3 × 3000');
  });

  test('cost order matches a stable sort by price for small and large groups, ties in configured order', () => {
    const health = new MemoryHealthStore(breaker);
    for (const size of [2, 5, 16, 17, 40]) {
      // prices repeat (0.1, 0.0, 0.3, 0.2, …), so many deployments tie and must keep their configured order
      const list = Array.from({ length: size }, (_, i) =>
        candidate(`p${String(i).padStart(2, '0')}`, 'x', { price: { input: ((i * 3 + 1) % 4) / 10 } }),
      );
      const expected = list
        .map((entry, index) => ({ id: entry.target.provider.id, price: entry.price ?? 0, index }))
        .sort((a, b) => a.price - b.price || a.index - b.index)
        .map((entry) => entry.id);
      const ordered = names(
        orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), 'cost', false, never),
      );
      assert.deepEqual(ordered, expected, `${size} deployments`);
      assert.notDeepEqual(
        ordered,
        list.map((entry) => entry.target.provider.id),
        'the order really changed',
      );
    }
  });

  test('failures lower uptime and the score', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [candidate('alpha', 'x'), candidate('beta', 'x')];
    health.recordFailure('alpha/x', 0);
    const ordered = orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), 'balanced', false, never);
    assert.deepEqual(names(ordered), ['beta', 'alpha']);
    assert.ok(Math.abs(ordered[1].uptime - 0.8) < 1e-9);
  });

  test('variants rank by one figure: cost (unknown price last), latency, throughput', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [
      candidate('groq', 'x', { price: { input: 1, output: 1 } }),
      candidate('together', 'x'),
      candidate('fireworks', 'x', { price: { input: 0.2, output: 0.4 } }),
      candidate('cerebras', 'x', { price: { input: 0.6, output: 0.6 } }),
    ];
    const order = (strategy: 'cost' | 'latency' | 'throughput') =>
      names(orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), strategy, false, never));
    assert.deepEqual(order('cost'), ['fireworks', 'cerebras', 'groq', 'together']);
    // groq and cerebras share a latency prior: the balanced score breaks the tie (cerebras is cheaper)
    assert.deepEqual(order('latency'), ['cerebras', 'groq', 'fireworks', 'together']);
    assert.deepEqual(order('throughput'), ['cerebras', 'groq', 'fireworks', 'together']);
    assert.equal(list[2].price, 0.25);
  });

  test('ordered keeps the configured order', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [candidate('together', 'x'), candidate('groq', 'x')];
    assert.deepEqual(
      names(orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), 'ordered', false, never)),
      ['together', 'groq'],
    );
  });

  test('weights split first picks in proportion, among closed breakers only', () => {
    const health = new MemoryHealthStore(breaker);
    const list = [candidate('alpha', 'x', { weight: 1 }), candidate('beta', 'x', { weight: 3 })];
    const first = (draw: number) =>
      names(orderScored(scoreCandidates(list, health, DEFAULT_WEIGHTS, 0), 'balanced', true, () => draw))[0];
    assert.equal(first(0.1), 'alpha');
    assert.equal(first(0.3), 'beta');
    assert.equal(first(0.99), 'beta');
    health.recordFailure('beta/x', 0);
    health.recordFailure('beta/x', 0);
    assert.equal(first(0.99), 'alpha', 'an open breaker gets no share');
  });
});
