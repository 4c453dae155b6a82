import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { faded, MemoryHealthStore, SPEED_HALF_LIFE_MS } from './health.ts';

const breaker = { failureThreshold: 3, cooldownMs: 1000, maxCooldownMs: 3000 };

describe('MemoryHealthStore', () => {
  test('averages time to first token and speed, and counts outcomes', () => {
    const health = new MemoryHealthStore(breaker);
    health.recordSuccess('a', { ttftMs: 100, tokensPerSecond: 50 }, 0);
    health.recordSuccess('a', { ttftMs: 200, tokensPerSecond: 100 }, 0);
    const record = health.get('a')!;
    assert.equal(record.ttftMs, 130);
    assert.equal(record.tokensPerSecond, 65);
    assert.equal(record.samples, 2);
    assert.equal(record.uptime, 1);
    health.recordFailure('a', 0);
    assert.ok(Math.abs(health.get('a')!.uptime - 0.8) < 1e-9);
    assert.equal(health.get('a')!.failures, 1);
  });

  test('opens after the threshold of consecutive failures, probes once, closes on success', () => {
    const health = new MemoryHealthStore(breaker);
    health.recordFailure('a', 0);
    health.recordFailure('a', 0);
    assert.equal(health.state('a', 0), 'closed');
    health.recordFailure('a', 10);
    assert.equal(health.state('a', 10), 'open');
    assert.equal(health.state('a', 1009), 'open');
    assert.equal(health.state('a', 1010), 'half-open');
    assert.equal(health.claimProbe('a', 1010), true);
    assert.equal(health.claimProbe('a', 1011), false, 'one probe at a time');
    health.recordSuccess('a', { ttftMs: 50 }, 1100);
    assert.equal(health.state('a', 1100), 'closed');
    assert.equal(health.get('a')!.failures, 0);
  });

  test('a failed probe reopens with a doubled cool-down, capped', () => {
    const health = new MemoryHealthStore(breaker);
    for (let i = 0; i < 3; i++) health.recordFailure('a', 0);
    assert.equal(health.get('a')!.openUntil, 1000);
    assert.equal(health.claimProbe('a', 1000), true);
    health.recordFailure('a', 1000);
    assert.equal(health.get('a')!.openUntil, 3000);
    health.recordFailure('a', 3000);
    assert.equal(health.get('a')!.openUntil, 6000, 'max cool-down 3000');
  });

  test('a released probe can be taken again; a success before the threshold resets the count', () => {
    const health = new MemoryHealthStore(breaker);
    for (let i = 0; i < 3; i++) health.recordFailure('a', 0);
    assert.equal(health.claimProbe('a', 2000), true);
    health.releaseProbe('a');
    assert.equal(health.claimProbe('a', 2000), true);
    const other = new MemoryHealthStore(breaker);
    other.recordFailure('b', 0);
    other.recordFailure('b', 0);
    other.recordSuccess('b', {}, 0);
    other.recordFailure('b', 0);
    assert.equal(other.state('b', 0), 'closed');
  });

  test('retry-after cools the deployment at once, without waiting for the threshold', () => {
    const health = new MemoryHealthStore(breaker);
    health.recordFailure('a', 0, 5000);
    assert.equal(health.state('a', 4999), 'open');
    assert.equal(health.state('a', 5000), 'half-open');
  });

  test('measurements fade back to the prior', () => {
    assert.equal(faded(undefined, 800, 0, SPEED_HALF_LIFE_MS), 800);
    assert.equal(faded(100, 800, 0, SPEED_HALF_LIFE_MS), 100);
    assert.equal(faded(100, 800, SPEED_HALF_LIFE_MS, SPEED_HALF_LIFE_MS), 450);
  });
});
