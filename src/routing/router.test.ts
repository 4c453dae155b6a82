import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderInstance } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import { knownProviderTypes } from '../providers/registry.ts';
import { Cancellation } from '../transport/cancellation.ts';
import { AttemptWalker } from './attempt-walker.ts';
import type { Requirements } from './capabilities.ts';
import { type ModelEntry, ModelRegistry } from './model-registry.ts';
import { ModelRouter, type PlanRequest } from './router.ts';
import { defaultRoutingSettings, type RoutingSettings, toProfile } from './routing-settings.ts';
import { instance, manualClock } from './test-helpers.ts';

const TEXT_ONLY: Requirements = { tools: false, images: false, jsonSchema: false, promptTokens: 10 };

function routerWith(
  providers: ProviderInstance[],
  models: ModelEntry[] = [],
  tweak: (settings: RoutingSettings) => void = () => {},
  clock = manualClock(),
) {
  const settings = defaultRoutingSettings();
  tweak(settings);
  const registry = new ModelRegistry(new Map(providers.map((p) => [p.id, p])), models, knownProviderTypes());
  return new ModelRouter({ registry, settings, now: clock.now, random: () => 0 });
}

const ask = (model: string, extra: Partial<PlanRequest> = {}): PlanRequest => ({
  model,
  operation: 'chat',
  needs: () => TEXT_ONLY,
  ...extra,
});
const order = (plan: {
  candidates: Array<{ target: { provider: { id: string }; deployment: { model: string } } }>;
}) => plan.candidates.map((c) => `${c.target.provider.id}/${c.target.deployment.model}`);

const fleet = [instance('groq'), instance('together'), instance('openai'), instance('anthropic')];
const chat: ModelEntry = {
  id: 'chat',
  source: 'config',
  deployments: [
    { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
    { provider: 'groq', model: 'llama-3.3-70b-versatile', price: { input: 0.59, output: 0.79 } },
    { provider: 'together', model: 'llama-together', price: { input: 0.05, output: 0.1 } },
  ],
};

describe('router: which deployments, in what order', () => {
  test('a built-in aggregate spans the active providers under their own model ids', () => {
    const router = routerWith(fleet);
    const plan = router.plan(ask('llama-3.3-70b'));
    assert.deepEqual(order(plan), [
      'groq/llama-3.3-70b-versatile',
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    ]);
    assert.equal(plan.modelId, 'llama-3.3-70b');
    assert.deepEqual(order(router.plan(ask('meta-llama/llama-3.3-70b'))), order(plan));
    assert.equal(plan.route.strategy, 'balanced');
    assert.equal(plan.route.candidates[0].ttft_ms, 250);
    assert.ok((plan.route.candidates[0].score ?? 0) > (plan.route.candidates[1].score ?? 0));
  });

  test('provider/model pins the provider, even for a model the table knows', () => {
    const plan = routerWith(fleet).plan(ask('groq/llama-3.3-70b'));
    assert.deepEqual(order(plan), ['groq/llama-3.3-70b']);
    assert.deepEqual(plan.route.candidates, [
      { provider: 'groq', model: 'llama-3.3-70b', model_id: 'groq/llama-3.3-70b' },
    ]);
  });

  test('variants re-rank the same eligible deployments', () => {
    const router = routerWith(fleet, [chat], (s) => {
      s.strategy = 'ordered';
    });
    assert.deepEqual(order(router.plan(ask('chat'))), [
      'openai/gpt-4o-mini',
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
    ]);
    assert.deepEqual(order(router.plan(ask('chat:cost'))), [
      'together/llama-together',
      'openai/gpt-4o-mini',
      'groq/llama-3.3-70b-versatile',
    ]);
    assert.deepEqual(order(router.plan(ask('chat:latency'))), [
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
      'openai/gpt-4o-mini',
    ]);
    assert.deepEqual(order(router.plan(ask('chat:throughput'))), [
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
      'openai/gpt-4o-mini',
    ]);
    assert.equal(router.plan(ask('chat:cost')).route.variant, 'cost');
  });

  test('provider.order moves deployments, and each keeps its own score in the route description', () => {
    const router = routerWith(fleet, [chat]);
    const ranked = router.plan(ask('chat')).route.candidates;
    const reversed = [...ranked].reverse().map((candidate) => candidate.provider);
    const plan = router.plan(ask('chat', { routing: { provider: { order: reversed }, warnings: [] } }));
    assert.deepEqual(
      plan.route.candidates.map((candidate) => candidate.provider),
      reversed,
    );
    const byProvider = new Map(ranked.map((candidate) => [candidate.provider, candidate]));
    for (const described of plan.route.candidates) {
      assert.equal(typeof described.score, 'number');
      assert.deepEqual(described, byProvider.get(described.provider));
    }
    assert.notDeepEqual(
      plan.route.candidates.map((candidate) => candidate.score),
      ranked.map((candidate) => candidate.score),
      'the fleet ranks its deployments apart, so a swapped score would show',
    );
  });

  test('provider preferences: order, only, ignore, sort, allow_fallbacks', () => {
    const router = routerWith(fleet, [chat], (s) => {
      s.strategy = 'ordered';
    });
    const withPrefs = (provider: object) =>
      order(router.plan(ask('chat', { routing: { provider, warnings: [] } })));
    assert.deepEqual(withPrefs({ order: ['together', 'groq'] }), [
      'together/llama-together',
      'groq/llama-3.3-70b-versatile',
      'openai/gpt-4o-mini',
    ]);
    assert.deepEqual(withPrefs({ order: ['groq'], allowFallbacks: false }), ['groq/llama-3.3-70b-versatile']);
    assert.deepEqual(withPrefs({ allowFallbacks: false }), ['openai/gpt-4o-mini']);
    assert.deepEqual(withPrefs({ only: ['groq', 'together'] }), [
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
    ]);
    assert.deepEqual(withPrefs({ ignore: ['openai'], sort: 'cost' }), [
      'together/llama-together',
      'groq/llama-3.3-70b-versatile',
    ]);
    const plan = router.plan(ask('chat', { routing: { provider: { ignore: ['openai'] }, warnings: [] } }));
    assert.deepEqual(plan.route.filtered, [
      { provider: 'openai', model: 'gpt-4o-mini', model_id: 'chat', reason: 'in provider.ignore' },
    ]);
  });

  test('a models list adds fallback models after the first; an unknown one is skipped with its reason', () => {
    const router = routerWith(fleet, [chat], (s) => {
      s.strategy = 'ordered';
    });
    const plan = router.plan(
      ask('claude-sonnet-4-5', { routing: { models: ['no-such-model', 'chat'], warnings: [] } }),
    );
    assert.deepEqual(order(plan), [
      'anthropic/claude-sonnet-4-5',
      'openai/gpt-4o-mini',
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
    ]);
    assert.match(plan.route.filtered?.[0].reason ?? '', /no-such-model/);
    assert.throws(
      () => router.plan(ask('no-such-model')),
      (error: unknown) => error instanceof GatewayError && error.status === 404,
    );
  });

  test('the capability filter keeps away deployments that cannot serve; none left is a 422 saying why', () => {
    const models: ModelEntry[] = [
      {
        id: 'vision',
        source: 'config',
        deployments: [
          { provider: 'groq', model: 'text-only', capabilities: { images: false } },
          { provider: 'openai', model: 'small-window', contextWindow: 1000 },
          { provider: 'together', model: 'sees' },
        ],
      },
    ];
    const router = routerWith(fleet, models, (s) => {
      s.strategy = 'ordered';
    });
    let asked = 0;
    const needs = (value: Requirements) => () => {
      asked++;
      return value;
    };
    const image = { ...TEXT_ONLY, images: true, promptTokens: 2000 };
    const plan = router.plan(ask('vision', { needs: needs(image) }));
    assert.deepEqual(order(plan), ['together/sees']);
    assert.equal(asked, 1, 'needs are read once');
    assert.deepEqual(
      plan.route.filtered?.map((f) => `${f.provider}: ${f.reason}`),
      [
        'groq: does not accept images',
        'openai: context window of 1000 tokens is too small for ~2000 prompt tokens',
      ],
    );
    const limited = routerWith(fleet, [{ ...models[0], deployments: models[0].deployments.slice(0, 2) }]);
    assert.throws(
      () => limited.plan(ask('vision', { needs: needs(image) })),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.status === 422 &&
        error.code === 'no_capable_deployment' &&
        error.message ===
          'No deployment of `vision` can serve this request (groq/text-only: does not accept images; openai/small-window: context window of 1000 tokens is too small for ~2000 prompt tokens).',
    );
  });

  test('an operation no deployment supports stays a 422 unsupported_operation', () => {
    const router = routerWith(fleet);
    assert.throws(
      () => router.plan(ask('anthropic/claude-x', { operation: 'embeddings' })),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'unsupported_operation' && error.status === 422,
    );
  });

  test('smart/<policy> ranks the deployments of all its models together; @preset/<name> tries its models in order', () => {
    const other: ModelEntry = {
      id: 'other',
      source: 'config',
      deployments: [{ provider: 'anthropic', model: 'claude-x', price: { input: 0.01, output: 0.01 } }],
    };
    const router = routerWith(fleet, [chat, other], (s) => {
      s.presets.support = toProfile({
        models: ['other', 'chat'],
        sort: 'cost',
        retries: 2,
        first_byte_timeout_ms: 1234,
      });
    });
    const cheap = router.plan(ask('smart/cheap'));
    assert.deepEqual(order(cheap), [
      'anthropic/claude-x',
      'together/llama-together',
      'openai/gpt-4o-mini',
      'groq/llama-3.3-70b-versatile',
    ]);
    assert.equal(cheap.route.policy, 'cheap');
    const preset = router.plan(ask('@preset/support'));
    assert.deepEqual(order(preset), [
      'anthropic/claude-x',
      'together/llama-together',
      'openai/gpt-4o-mini',
      'groq/llama-3.3-70b-versatile',
    ]);
    assert.equal(preset.retries, 2);
    assert.equal(preset.firstByteTimeoutMs, 1234);
    assert.throws(
      () => router.plan(ask('@preset/nope')),
      (error: unknown) =>
        error instanceof GatewayError && error.status === 404 && /defined: support/.test(error.message),
    );
  });

  test('X-Provider bypasses ranking, preferences and fallbacks', () => {
    const router = routerWith(fleet, [chat]);
    const plan = router.plan(
      ask('chat', { forcedProvider: 'together', routing: { models: ['claude-x'], warnings: [] } }),
    );
    assert.deepEqual(order(plan), ['together/llama-together']);
    assert.equal(plan.route.strategy, 'forced');
  });

  test('weights decide the first deployment unless a sort was asked for', () => {
    const weighted: ModelEntry = {
      id: 'w',
      source: 'config',
      deployments: [
        { provider: 'openai', model: 'a', weight: 1 },
        { provider: 'groq', model: 'b', weight: 9 },
      ],
    };
    const draws = [0.95, 0.5]; // drawn over the ranked order: groq (9 of 10) then openai (1)
    const settings = defaultRoutingSettings();
    const registry = new ModelRegistry(
      new Map(fleet.map((p) => [p.id, p])),
      [weighted],
      knownProviderTypes(),
    );
    const router = new ModelRouter({ registry, settings, random: () => draws.shift() ?? 0 });
    assert.deepEqual(order(router.plan(ask('w'))), ['openai/a', 'groq/b']);
    assert.deepEqual(order(router.plan(ask('w'))), ['groq/b', 'openai/a']);
  });
});

describe('router: breakers', () => {
  test('an open breaker goes last; after the cool-down one request probes it first; untried probes are released', () => {
    const clock = manualClock();
    const router = routerWith(
      fleet,
      [chat],
      (s) => {
        s.strategy = 'ordered';
        s.breaker = { failureThreshold: 1, cooldownMs: 1000, maxCooldownMs: 1000 };
      },
      clock,
    );
    router.health.recordFailure('openai/gpt-4o-mini', clock.now());
    const cooling = router.plan(ask('chat'));
    assert.deepEqual(order(cooling), [
      'groq/llama-3.3-70b-versatile',
      'together/llama-together',
      'openai/gpt-4o-mini',
    ]);
    assert.equal(cooling.route.candidates[2].breaker, 'open');
    clock.advance(1000);
    const probing = router.plan(ask('chat'));
    assert.deepEqual(order(probing)[0], 'openai/gpt-4o-mini');
    assert.equal(probing.route.candidates[0].probe, true);
    assert.deepEqual(order(router.plan(ask('chat')))[2], 'openai/gpt-4o-mini', 'one probe at a time');
    clock.advance(60_000);
    const fallback = router.plan(ask('anthropic/claude-x', { routing: { models: ['chat'], warnings: [] } }));
    assert.deepEqual(
      order(fallback).slice(0, 2),
      ['anthropic/claude-x', 'openai/gpt-4o-mini'],
      'first of its model group',
    );
    const walker = new AttemptWalker(fallback, router, new Cancellation());
    walker.first();
    walker.releaseUntried();
    assert.deepEqual(order(router.plan(ask('chat')))[0], 'openai/gpt-4o-mini', 'released, so probed again');
  });
});
