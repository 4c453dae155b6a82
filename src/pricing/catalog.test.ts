import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogProviderId, listCatalogModels, lookupCatalogModel } from './catalog.ts';
import { CATALOG_PROVIDER_IDS } from './provider-map.ts';

describe('catalogProviderId', () => {
  test('maps our ids to genai-prices ids', () => {
    assert.equal(catalogProviderId('gemini'), 'google');
    assert.equal(catalogProviderId('vertex'), 'google');
    assert.equal(catalogProviderId('bedrock'), 'aws');
    assert.equal(catalogProviderId('xai'), 'x-ai');
    assert.equal(catalogProviderId('openai'), 'openai');
    assert.equal(catalogProviderId('ollama'), null);
  });

  test('every mapped id exists in the catalog', () => {
    for (const [ours, theirs] of Object.entries(CATALOG_PROVIDER_IDS)) {
      if (theirs === null) continue;
      assert.ok(listCatalogModels(ours).length > 0, `${ours} → ${theirs} lists no models`);
    }
  });

  test('an id the catalog knows exactly is used as is; others are unknown', () => {
    assert.equal(catalogProviderId('moonshotai'), 'moonshotai');
    assert.equal(catalogProviderId('my-vllm'), undefined);
    // No fuzzy provider matching: this is not the openai account.
    assert.equal(catalogProviderId('my-openai-proxy'), undefined);
  });
});

describe('lookupCatalogModel', () => {
  test('price with tiers and cache prices, and context window', () => {
    assert.deepEqual(lookupCatalogModel('anthropic', 'claude-sonnet-4-5-20250929'), {
      id: 'claude-sonnet-4-5',
      name: 'Claude Sonnet 4.5',
      catalogProvider: 'anthropic',
      contextWindow: 200000,
      price: {
        input: { base: 3, tiers: [{ start: 200000, price: 6 }] },
        output: { base: 15, tiers: [{ start: 200000, price: 22.5 }] },
        cacheRead: { base: 0.3, tiers: [{ start: 200000, price: 0.6 }] },
        cacheWrite: { base: 3.75, tiers: [{ start: 200000, price: 7.5 }] },
      },
    });
  });

  test('provider-specific model ids: Bedrock, Vertex Claude, Azure', () => {
    const bedrock = lookupCatalogModel('bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0');
    assert.equal(bedrock?.catalogProvider, 'aws');
    assert.deepEqual(bedrock?.price, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    const vertex = lookupCatalogModel('vertex', 'claude-sonnet-4@20250514');
    assert.equal(vertex?.contextWindow, 200000);
    assert.deepEqual(vertex?.price, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    assert.deepEqual(lookupCatalogModel('azure', 'gpt-4o-mini')?.price, {
      input: 0.15,
      output: 0.6,
      cacheRead: 0.075,
    });
  });

  test('unknown provider falls back to the model id alone', () => {
    const entry = lookupCatalogModel('my-gateway', 'gpt-4o');
    assert.equal(entry?.catalogProvider, 'openai');
    assert.equal(entry?.contextWindow, 128000);
  });

  test('known provider, unknown model → undefined (no guessing from other providers)', () => {
    assert.equal(lookupCatalogModel('groq', 'gpt-4o'), undefined);
    assert.equal(lookupCatalogModel('openai', 'definitely-not-a-model'), undefined);
    assert.equal(lookupCatalogModel('my-gateway', 'llama-local-finetune'), undefined);
    assert.equal(lookupCatalogModel('ollama', 'gpt-4o'), undefined);
    assert.equal(lookupCatalogModel('openai', ''), undefined);
  });

  test('time-of-day prices are taken as of the given instant (DeepSeek)', () => {
    const day = lookupCatalogModel('deepseek', 'deepseek-chat', new Date('2025-06-02T08:00:00Z'));
    const night = lookupCatalogModel('deepseek', 'deepseek-chat', new Date('2025-06-02T18:00:00Z'));
    assert.deepEqual(day?.price, { input: 0.27, output: 1.1, cacheRead: 0.07 });
    assert.deepEqual(night?.price, { input: 0.135, output: 0.55, cacheRead: 0.035 });
  });
});

describe('listCatalogModels', () => {
  test('Cohere models with prices, deprecated ones left out by default', () => {
    const models = listCatalogModels('cohere');
    const commandA = models.find((model) => model.id === 'command-a');
    assert.deepEqual(commandA, {
      id: 'command-a',
      name: 'Command A',
      catalogProvider: 'cohere',
      price: { input: 2.5, output: 10 },
    });
    // command-light is marked deprecated in the catalog.
    assert.equal(
      models.find((model) => model.id === 'command-light'),
      undefined,
    );
    const all = listCatalogModels('cohere', { includeDeprecated: true });
    assert.equal(all.find((model) => model.id === 'command-light')?.deprecated, true);
  });

  test('no catalog → empty list', () => {
    assert.deepEqual(listCatalogModels('ollama'), []);
    assert.deepEqual(listCatalogModels('my-vllm'), []);
  });
});
