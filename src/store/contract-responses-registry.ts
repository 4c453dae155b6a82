// Contract: stored Responses-API responses and runtime registry entries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoreRef } from './contract.ts';
import type { StoredResponse } from './store.ts';

const NOW = 1_750_000_000_000;

const RESPONSE: StoredResponse = {
  id: 'resp_abc',
  createdAt: NOW - 1000,
  body: {
    id: 'resp_abc',
    object: 'response',
    status: 'completed',
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi ✓' }] }],
    usage: { input_tokens: 5, output_tokens: 2 },
  },
  inputItems: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
  previousResponseId: 'resp_prev',
  expiresAt: NOW + 60_000,
};

function responsesContract(ref: StoreRef): void {
  test('putResponse / getResponse round-trip; a missing id is undefined', async () => {
    await ref.store.putResponse(RESPONSE);
    assert.deepEqual(await ref.store.getResponse('resp_abc', NOW), RESPONSE);
    assert.equal(await ref.store.getResponse('resp_missing', NOW), undefined);
    const forever = {
      ...RESPONSE,
      id: 'resp_forever',
      previousResponseId: null,
      expiresAt: null,
      inputItems: [],
    };
    await ref.store.putResponse(forever);
    assert.deepEqual(await ref.store.getResponse('resp_forever'), forever);
  });

  test('putResponse replaces an existing id', async () => {
    await ref.store.putResponse(RESPONSE);
    const updated = { ...RESPONSE, body: { id: 'resp_abc', status: 'incomplete' }, expiresAt: NOW + 5 };
    await ref.store.putResponse(updated);
    assert.deepEqual(await ref.store.getResponse('resp_abc', NOW), updated);
  });

  test('an expired response is not returned and purgeResponses deletes it', async () => {
    await ref.store.putResponse(RESPONSE);
    await ref.store.putResponse({ ...RESPONSE, id: 'resp_live', expiresAt: NOW + 120_000 });
    await ref.store.putResponse({ ...RESPONSE, id: 'resp_keep', expiresAt: null });
    const expiry = NOW + 60_000;
    assert.equal(await ref.store.getResponse('resp_abc', expiry), undefined);
    assert.equal(await ref.store.purgeResponses(expiry - 1), 0);
    assert.equal(await ref.store.purgeResponses(expiry), 1);
    assert.equal(await ref.store.getResponse('resp_abc', NOW), undefined);
    assert.equal((await ref.store.getResponse('resp_live', expiry))?.id, 'resp_live');
    assert.equal((await ref.store.getResponse('resp_keep', expiry))?.id, 'resp_keep');
  });

  test('deleteResponse reports whether something was deleted', async () => {
    await ref.store.putResponse(RESPONSE);
    assert.equal(await ref.store.deleteResponse('resp_abc'), true);
    assert.equal(await ref.store.deleteResponse('resp_abc'), false);
    assert.equal(await ref.store.getResponse('resp_abc', NOW), undefined);
  });
}

function registryContract(ref: StoreRef): void {
  test('model entries: put, list ordered by id, replace, delete', async () => {
    const before = Date.now();
    const claude = { provider: 'anthropic', deployments: [{ model: 'claude-x', weight: 2 }] };
    await ref.store.putModelEntry('model:claude', claude);
    await ref.store.putModelEntry('model:alpha', { provider: 'openai' });
    await ref.store.putModelEntry('provider:groq', { baseUrl: 'https://example.test/v1' });
    const listed = await ref.store.listModelEntries();
    assert.deepEqual(
      listed.map(({ id, entry }) => ({ id, entry })),
      [
        { id: 'model:alpha', entry: { provider: 'openai' } },
        { id: 'model:claude', entry: claude },
        { id: 'provider:groq', entry: { baseUrl: 'https://example.test/v1' } },
      ],
    );
    assert.ok(listed.every((e) => e.updatedAt >= before && e.updatedAt <= Date.now()));
    await ref.store.putModelEntry('model:alpha', { provider: 'azure' });
    assert.deepEqual((await ref.store.listModelEntries())[0].entry, { provider: 'azure' });
    assert.equal(await ref.store.deleteModelEntry('model:alpha'), true);
    assert.equal(await ref.store.deleteModelEntry('model:alpha'), false);
    assert.deepEqual(
      (await ref.store.listModelEntries()).map((e) => e.id),
      ['model:claude', 'provider:groq'],
    );
  });

  test('the stamp changes with every put, replacement and delete, and only then', async () => {
    const stamps = [await ref.store.modelEntriesStamp()];
    const step = async (write: () => Promise<unknown>) => {
      await write();
      const stamp = await ref.store.modelEntriesStamp();
      assert.ok(!stamps.includes(stamp), `stamp ${stamp} seen before (${stamps.join(', ')})`);
      stamps.push(stamp);
    };
    await step(() => ref.store.putModelEntry('model:a', { v: 1 }));
    await step(() => ref.store.putModelEntry('model:b', { v: 1 }));
    // replacements within the same millisecond still change it
    await step(() => ref.store.putModelEntry('model:a', { v: 2 }));
    await step(() => ref.store.putModelEntry('model:a', { v: 3 }));
    await step(() => ref.store.deleteModelEntry('model:b'));
    assert.equal(await ref.store.modelEntriesStamp(), stamps.at(-1));
    const [replaced] = await ref.store.listModelEntries();
    assert.deepEqual(replaced.entry, { v: 3 });
  });
}

export function responsesRegistryContract(ref: StoreRef): void {
  describe('stored responses', () => responsesContract(ref));
  describe('registry entries', () => registryContract(ref));
}
