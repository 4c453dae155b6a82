import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import { knownProviderTypes } from '../providers/registry.ts';
import { Cancellation } from '../transport/cancellation.ts';
import { AttemptWalker, classifyFailure } from './attempt-walker.ts';
import { ModelRegistry } from './model-registry.ts';
import { ModelRouter } from './router.ts';
import { defaultRoutingSettings, type RoutingSettings } from './routing-settings.ts';
import { instance } from './test-helpers.ts';

const upstream = (status: number, code: ConstructorParameters<typeof GatewayError>[0], retryAfter?: number) =>
  new GatewayError(code, `HTTP ${status}`, {
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    retryAfter,
  });

describe('classifyFailure', () => {
  test('transient upstream trouble is retried; a deployment problem moves on; the request’s own fault stops', () => {
    assert.equal(classifyFailure(upstream(429, 'rate_limited')), 'retry');
    assert.equal(classifyFailure(upstream(500, 'upstream_unavailable')), 'retry');
    assert.equal(classifyFailure(upstream(529, 'upstream_overloaded')), 'retry');
    assert.equal(classifyFailure(upstream(408, 'upstream_timeout')), 'retry');
    assert.equal(classifyFailure(new GatewayError('upstream_timeout', 'stalled')), 'retry');
    assert.equal(classifyFailure(new GatewayError('upstream_stream_broken', 'died')), 'retry');
    assert.equal(classifyFailure(new GatewayError('rate_limited', 'quota', { retryable: false })), 'next');
    assert.equal(classifyFailure(upstream(401, 'unauthorized')), 'next');
    assert.equal(classifyFailure(upstream(404, 'not_found')), 'next');
    assert.equal(
      classifyFailure(new GatewayError('unsupported_operation', 'x', { retryable: true })),
      'next',
    );
    assert.equal(classifyFailure(upstream(400, 'invalid_request')), 'stop');
    assert.equal(classifyFailure(upstream(413, 'body_too_large')), 'stop');
    assert.equal(classifyFailure(new GatewayError('client_closed', 'gone')), 'stop');
  });
});

describe('AttemptWalker', () => {
  function setup(tweak: (settings: RoutingSettings) => void) {
    const settings = defaultRoutingSettings();
    settings.strategy = 'ordered';
    settings.backoff = { initialMs: 20, maxMs: 20 };
    tweak(settings);
    const providers = [instance('groq'), instance('together')];
    const registry = new ModelRegistry(
      new Map(providers.map((p) => [p.id, p])),
      [
        {
          id: 'm',
          source: 'config',
          deployments: [
            { provider: 'groq', model: 'a' },
            { provider: 'together', model: 'b' },
          ],
        },
      ],
      knownProviderTypes(),
    );
    const router = new ModelRouter({ registry, settings, random: () => 1 });
    const plan = router.plan({
      model: 'm',
      operation: 'chat',
      needs: () => ({ tools: false, images: false, jsonSchema: false, promptTokens: 1 }),
    });
    return { router, walker: new AttemptWalker(plan, router, new Cancellation()) };
  }
  const id = (candidate: { target: { provider: { id: string } } } | undefined) =>
    candidate?.target.provider.id;

  test('retries the same deployment with backoff, then moves on, then stops', async () => {
    const { walker } = setup((s) => {
      s.retries = 1;
    });
    assert.equal(id(walker.first()), 'groq');
    const started = Date.now();
    assert.equal(id(await walker.next(upstream(503, 'upstream_unavailable'))), 'groq');
    assert.ok(Date.now() - started >= 18, 'waited the backoff');
    assert.equal(id(await walker.next(upstream(503, 'upstream_unavailable'))), 'together');
    assert.equal(id(await walker.next(upstream(503, 'upstream_unavailable'))), 'together');
    assert.equal(await walker.next(upstream(503, 'upstream_unavailable')), undefined);
    assert.equal(walker.attempts, 4);
    assert.equal(walker.stopped, undefined);
  });

  test('a retry-after too long to wait moves to the next deployment at once', async () => {
    const { walker } = setup((s) => {
      s.retries = 3;
      s.maxRetryAfterMs = 1000;
    });
    walker.first();
    const started = Date.now();
    assert.equal(id(await walker.next(upstream(429, 'rate_limited', 30))), 'together');
    assert.ok(Date.now() - started < 15);
  });

  test('never after the request’s own error; deployment errors skip the retries', async () => {
    const { walker } = setup((s) => {
      s.retries = 2;
    });
    walker.first();
    assert.equal(id(await walker.next(upstream(403, 'forbidden'))), 'together');
    assert.equal(await walker.next(upstream(400, 'invalid_request')), undefined);
  });

  test('the retry budget and the attempt limit stop the walk, and say so', async () => {
    const budget = setup((s) => {
      s.retryBudget = { ratio: 0, minPerSecond: 0 };
    });
    budget.walker.first();
    assert.equal(await budget.walker.next(upstream(503, 'upstream_unavailable')), undefined);
    assert.equal(budget.walker.stopped, 'retry budget exhausted');
    const limit = setup((s) => {
      s.maxAttempts = 1;
    });
    limit.walker.first();
    assert.equal(limit.walker.hasMore(), false);
    assert.equal(await limit.walker.next(upstream(503, 'upstream_unavailable')), undefined);
    assert.equal(limit.walker.stopped, 'max_attempts (1) reached');
  });
});
