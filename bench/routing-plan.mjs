// What ranking costs per request: ModelRouter.plan() plus the health update after the attempt, for a pinned
// `provider/model` (no scoring) against aggregates of two and three deployments (balanced score, and a
// `:latency` variant), with live health stats in the store. Compare the figures with a gateway's CPU per
// request in the harness (`gw CPU ms / 1k req`, i.e. µs per request).
// Run with the repo's Node and npm start's compiler flag: node_modules/.bin/node --no-maglev bench/routing-plan.mjs
import { knownProviderTypes } from '../src/providers/registry.ts';
import { ModelRegistry } from '../src/routing/model-registry.ts';
import { ModelRouter } from '../src/routing/router.ts';
import { defaultRoutingSettings } from '../src/routing/routing-settings.ts';

const providers = ['openai', 'groq', 'together', 'mirror'].map((id) => ({
  id,
  type: 'openai-compatible',
  baseUrl: `http://${id}.test/v1`,
  options: { preset: id === 'mirror' ? 'custom' : id },
  source: 'env',
}));
const models = [
  {
    id: 'bench-mini',
    source: 'config',
    deployments: [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'mirror', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
    ],
  },
  {
    id: 'chat3',
    source: 'config',
    deployments: [
      { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
      { provider: 'groq', model: 'llama-3.3-70b-versatile', price: { input: 0.59, output: 0.79 } },
      { provider: 'together', model: 'llama-together', price: { input: 0.05, output: 0.1 } },
    ],
  },
];
const registry = new ModelRegistry(new Map(providers.map((p) => [p.id, p])), models, knownProviderTypes());
const router = new ModelRouter({ registry, settings: defaultRoutingSettings() });
const needs = () => ({ tools: false, images: false, jsonSchema: false, promptTokens: 12 });

/** One request's routing work: plan, then teach the health store the first candidate's timing. */
function route(model, ttftMs) {
  const plan = router.plan({ model, operation: 'chat', needs });
  router.health.recordSuccess(plan.candidates[0].key, { ttftMs }, router.now());
  return plan;
}

function measure(fn, minMs = 500) {
  for (let i = 0; i < 2000; i++) fn(i);
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs * 1e6) {
    for (let i = 0; i < 200; i++) fn(runs + i);
    runs += 200;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return elapsed / runs / 1000;
}

const cases = [
  ['openai/gpt-4o-mini (pinned, not scored)', 'openai/gpt-4o-mini'],
  ['bench-mini (aggregate of 2, balanced)', 'bench-mini'],
  ['chat3 (aggregate of 3, balanced)', 'chat3'],
  ['chat3:latency (aggregate of 3, variant)', 'chat3:latency'],
];
// every case once first, so no case pays for the JIT compiling code the others share
for (const [, model] of cases) measure((i) => route(model, 200 + (i % 50)), 300);
console.log('| model string | µs per request (plan + health update) |');
console.log('|---|---|');
for (const [label, model] of cases) {
  // the first choices are kept so the plans cannot be optimised away
  const firstChoices = new Set();
  const us = measure((i) => firstChoices.add(route(model, 200 + (i % 50)).candidates[0].key));
  console.log(`| ${label} | ${us.toFixed(2)} |`);
}
