import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { knownProviderTypes } from '../providers/registry.ts';
import { type ModelEntry, ModelRegistry } from './model-registry.ts';
import { ModelRouter } from './router.ts';
import { defaultRoutingSettings } from './routing-settings.ts';
import { instance } from './test-helpers.ts';

const providers = new Map(['openai', 'groq'].map((id) => [id, instance(id)]));

const configChat: ModelEntry = {
  id: 'chat',
  source: 'config',
  deployments: [{ provider: 'openai', model: 'gpt-4o-mini', price: { input: 1, output: 2 } }],
};
const configOther: ModelEntry = {
  id: 'other',
  source: 'config',
  deployments: [{ provider: 'groq', model: 'llama-x', price: { input: 5, output: 6 } }],
};
const storedChat: ModelEntry = {
  id: 'chat',
  source: 'store',
  deployments: [{ provider: 'groq', model: 'llama-x', price: { input: 3, output: 4 } }],
};
const storedPin: ModelEntry = {
  id: 'openai/my-finetune',
  source: 'store',
  deployments: [{ provider: 'openai', model: 'my-finetune', price: { input: 7, output: 8 } }],
};

function registry(): ModelRegistry {
  return new ModelRegistry(providers, [configChat, configOther], knownProviderTypes());
}

describe('model registry: stored entries over config entries', () => {
  test('a stored entry replaces the config entry with its id; removing it brings the config one back', () => {
    const models = registry();
    assert.equal(models.resolve('chat').targets[0].deployment.model, 'gpt-4o-mini');
    models.setStoredEntries([storedChat]);
    const resolved = models.resolve('chat');
    assert.equal(resolved.source, 'store');
    assert.deepEqual(
      resolved.targets.map((t) => `${t.provider.id}/${t.deployment.model}`),
      ['groq/llama-x'],
    );
    assert.deepEqual(
      models.modelEntries().map((e) => [e.id, e.source]),
      [
        ['chat', 'store'],
        ['other', 'config'],
      ],
    );
    models.setStoredEntries([]);
    assert.equal(models.resolve('chat').source, 'config');
    assert.equal(models.resolve('chat').targets[0].deployment.model, 'gpt-4o-mini');
  });

  test('an entry named like a pin wins over the pin; stored-only entries are listed after config ones', () => {
    const models = registry();
    assert.equal(models.resolve('openai/my-finetune').source, 'pinned');
    models.setStoredEntries([storedPin]);
    assert.equal(models.resolve('openai/my-finetune').source, 'store');
    assert.deepEqual(
      models.modelEntries().map((e) => e.id),
      ['chat', 'other', 'openai/my-finetune'],
    );
    models.setStoredEntries([]);
    assert.equal(models.resolve('openai/my-finetune').source, 'pinned');
  });

  test('a deployment is priced by the first entry naming a price for it, stored entries first', () => {
    const models = registry();
    assert.deepEqual(models.configuredPrice('groq', 'llama-x'), { input: 5, output: 6 });
    assert.deepEqual(models.configuredPrice('openai', 'gpt-4o-mini'), { input: 1, output: 2 });
    assert.equal(models.configuredPrice('openai', 'my-finetune'), undefined);
    models.setStoredEntries([storedChat, storedPin]);
    assert.deepEqual(models.configuredPrice('groq', 'llama-x'), { input: 3, output: 4 });
    assert.deepEqual(models.configuredPrice('openai', 'my-finetune'), { input: 7, output: 8 });
    // the config entry `chat` is overridden, but its deployment's price still prices that deployment
    assert.deepEqual(models.configuredPrice('openai', 'gpt-4o-mini'), { input: 1, output: 2 });
    // a price with no rate in it names no price: the next entry's applies
    models.setStoredEntries([
      { id: 'empty', source: 'store', deployments: [{ provider: 'groq', model: 'llama-x', price: {} }] },
    ]);
    assert.deepEqual(models.configuredPrice('groq', 'llama-x'), { input: 5, output: 6 });
  });

  test('every load of stored entries tells the change listeners', () => {
    const models = registry();
    let calls = 0;
    models.onChange(() => calls++);
    models.setStoredEntries([storedPin]);
    models.setStoredEntries([]);
    assert.equal(calls, 2);
  });

  test("the router's cached candidates follow a change", () => {
    const models = registry();
    const router = new ModelRouter({ registry: models, settings: defaultRoutingSettings() });
    const before = router.resolveModel('chat');
    assert.equal(router.resolveModel('chat'), before);
    models.setStoredEntries([storedChat]);
    assert.equal(router.resolveModel('chat').candidates[0].target.deployment.model, 'llama-x');
    assert.equal(router.resolveModel('chat').source, 'store');
  });

  test('known providers: active or configured instances and built-in provider ids', () => {
    const models = new ModelRegistry(new Map([['my-vllm', instance('my-vllm')]]), [], knownProviderTypes());
    assert.equal(models.isKnownProvider('my-vllm'), true);
    assert.equal(models.isKnownProvider('anthropic'), true);
    assert.equal(models.isKnownProvider('nope'), false);
  });
});
