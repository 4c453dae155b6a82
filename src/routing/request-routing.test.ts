import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import { normalizeProviderName, takeRequestRouting } from './request-routing.ts';

describe('request routing fields', () => {
  test('takes models and provider out of the body', () => {
    const body: Record<string, unknown> = {
      model: 'a',
      messages: [],
      models: ['b', ' c '],
      provider: {
        order: ['Amazon Bedrock', 'anthropic'],
        only: ['Together', 'groq'],
        ignore: ['Google Vertex'],
        sort: 'price',
        allow_fallbacks: false,
        data_collection: 'deny',
      },
    };
    const routing = takeRequestRouting(body);
    assert.deepEqual(body, { model: 'a', messages: [] });
    assert.deepEqual(routing, {
      models: ['b', 'c'],
      provider: {
        order: ['bedrock', 'anthropic'],
        only: ['together', 'groq'],
        ignore: ['vertex'],
        sort: 'cost',
        allowFallbacks: false,
      },
      warnings: ['provider.data_collection: not supported by this gateway, ignored'],
    });
  });

  test('a body without them is left alone', () => {
    const body = { model: 'a' };
    assert.equal(takeRequestRouting(body), undefined);
    assert.deepEqual(body, { model: 'a' });
    assert.deepEqual(takeRequestRouting({ models: null, provider: null }), { warnings: [] });
  });

  test('malformed fields are 400s naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ models: 'b' }, 'models'],
      [{ models: [1] }, 'models'],
      [{ models: Array(17).fill('m') }, 'models'],
      [{ provider: [] }, 'provider'],
      [{ provider: { order: 'groq' } }, 'provider.order'],
      [{ provider: { sort: 'fastest' } }, 'provider.sort'],
      [{ provider: { allow_fallbacks: 'no' } }, 'provider.allow_fallbacks'],
    ];
    for (const [body, param] of cases) {
      assert.throws(
        () => takeRequestRouting(body as Record<string, unknown>),
        (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param,
        JSON.stringify(body),
      );
    }
  });

  test('provider names: OpenRouter spellings map to our ids', () => {
    assert.equal(normalizeProviderName('Fireworks AI'), 'fireworks');
    assert.equal(normalizeProviderName('Google AI Studio'), 'gemini');
    assert.equal(normalizeProviderName('my-vllm'), 'my-vllm');
  });
});
