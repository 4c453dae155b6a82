import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import type { Usage } from '../core/canonical.ts';
import { lookupCatalogModel } from './catalog.ts';
import { computeCost } from './cost.ts';
import { resolvePrice } from './resolve-price.ts';

/** USD figures are sums of products; compare to a hair above float noise. */
function assertUsd(actual: number | null, expected: number): void {
  assert.notEqual(actual, null);
  assert.ok(Math.abs((actual as number) - expected) < 1e-12, `expected ${expected}, got ${actual}`);
}

describe('computeCost with catalog prices', () => {
  test('OpenAI usage with cached prompt tokens (gpt-4o)', () => {
    // The catalog rates this test's arithmetic relies on.
    assert.deepEqual(lookupCatalogModel('openai', 'gpt-4o')?.price, {
      input: 2.5,
      output: 10,
      cacheRead: 1.25,
    });
    // OpenAI: prompt_tokens 2000 of which cached_tokens 1500; completion_tokens 300 → canonical as is.
    const usage: Usage = { inputTokens: 2000, cacheReadTokens: 1500, outputTokens: 300 };
    const expected = (500 * 2.5 + 1500 * 1.25 + 300 * 10) / 1e6; // = 0.006125
    assertUsd(computeCost(usage, resolvePrice('openai', 'gpt-4o')), expected);
    assertUsd(expected, 0.006125);
  });

  test('Anthropic usage with cache read and cache write (claude-sonnet-4)', () => {
    assert.deepEqual(lookupCatalogModel('anthropic', 'claude-sonnet-4-20250514')?.price, {
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
    // Anthropic: input_tokens 1000 (uncached only), cache_read_input_tokens 200, cache_creation_input_tokens 50,
    // output_tokens 300 → canonical input = 1000 + 200 + 50.
    const usage: Usage = { inputTokens: 1250, cacheReadTokens: 200, cacheWriteTokens: 50, outputTokens: 300 };
    const expected = (1000 * 3 + 200 * 0.3 + 50 * 3.75 + 300 * 15) / 1e6; // = 0.0077475
    const price = resolvePrice('anthropic', 'claude-sonnet-4-20250514');
    assertUsd(computeCost(usage, price), expected);
    assertUsd(expected, 0.0077475);
    // Same figure as genai-prices' own calculator for the same usage.
    const reference = calcPrice(
      { input_tokens: 1250, cache_read_tokens: 200, cache_write_tokens: 50, output_tokens: 300 },
      'claude-sonnet-4-20250514',
      { providerId: 'anthropic' },
    );
    assertUsd(computeCost(usage, price), reference?.total_price as number);
  });

  test('Gemini usage with thinking tokens billed as output (gemini-2.5-flash)', () => {
    assert.deepEqual(lookupCatalogModel('gemini', 'gemini-2.5-flash')?.price, {
      input: 0.3,
      output: 2.5,
      cacheRead: 0.03,
    });
    // Gemini: promptTokenCount 1200 (cachedContentTokenCount 1000), candidatesTokenCount 100,
    // thoughtsTokenCount 400 → canonical output = 100 + 400, reasoning 400.
    const usage: Usage = {
      inputTokens: 1200,
      cacheReadTokens: 1000,
      outputTokens: 500,
      reasoningTokens: 400,
    };
    const expected = (200 * 0.3 + 1000 * 0.03 + 500 * 2.5) / 1e6; // = 0.00134
    assertUsd(computeCost(usage, resolvePrice('gemini', 'gemini-2.5-flash')), expected);
    assertUsd(expected, 0.00134);
  });

  test('tiered price above 200k prompt tokens (gemini-2.5-pro)', () => {
    const price = resolvePrice('gemini', 'gemini-2.5-pro');
    assert.deepEqual(price, {
      input: { base: 1.25, tiers: [{ start: 200000, price: 2.5 }] },
      output: { base: 10, tiers: [{ start: 200000, price: 15 }] },
      cacheRead: { base: 0.125, tiers: [{ start: 200000, price: 0.25 }] },
    });
    // 250k prompt tokens (50k cached): every kind takes the long-context step.
    const long: Usage = { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 2_000 };
    assertUsd(computeCost(long, price), (200_000 * 2.5 + 50_000 * 0.25 + 2_000 * 15) / 1e6); // 0.5425
    // Exactly 200k is not above the step: base rates.
    const edge: Usage = { inputTokens: 200_000, outputTokens: 1_000 };
    assertUsd(computeCost(edge, price), (200_000 * 1.25 + 1_000 * 10) / 1e6); // 0.26
  });

  test('tiered cache write price (claude-sonnet-4-5 long context)', () => {
    const usage: Usage = {
      inputTokens: 210_000,
      cacheReadTokens: 100_000,
      cacheWriteTokens: 10_000,
      outputTokens: 1_000,
    };
    const expected = (100_000 * 6 + 100_000 * 0.6 + 10_000 * 7.5 + 1_000 * 22.5) / 1e6; // 0.7575
    assertUsd(computeCost(usage, resolvePrice('anthropic', 'claude-sonnet-4-5')), expected);
  });

  test('per-request fee and separately priced reasoning (perplexity)', () => {
    // sonar: $1/M in, $1/M out, $12 per thousand requests.
    assertUsd(
      computeCost({ inputTokens: 1000, outputTokens: 500 }, resolvePrice('perplexity', 'sonar')),
      (1000 * 1 + 500 * 1) / 1e6 + 12 / 1000,
    );
    // sonar-deep-research: reasoning $3/M apart from output $8/M.
    const usage: Usage = { inputTokens: 2000, outputTokens: 1000, reasoningTokens: 600 };
    const price = resolvePrice('perplexity', 'sonar-deep-research');
    assertUsd(computeCost(usage, price), (2000 * 2 + 400 * 8 + 600 * 3) / 1e6);
  });
});

describe('price overrides', () => {
  test('override replaces catalog fields one by one', () => {
    const price = resolvePrice('anthropic', 'claude-sonnet-4-5', { input: 2, output: 10 });
    assert.deepEqual(price, {
      input: 2,
      output: 10,
      cacheRead: { base: 0.3, tiers: [{ start: 200000, price: 0.6 }] },
      cacheWrite: { base: 3.75, tiers: [{ start: 200000, price: 7.5 }] },
    });
    const usage: Usage = { inputTokens: 1200, cacheReadTokens: 200, outputTokens: 100 };
    assertUsd(computeCost(usage, price), (1000 * 2 + 200 * 0.3 + 100 * 10) / 1e6); // 0.00306
  });

  test('override prices a model the catalog does not know; cache tokens fall back to input', () => {
    const price = resolvePrice('my-vllm', 'my-finetune', { input: 0.5, output: 1 });
    assert.deepEqual(price, { input: 0.5, output: 1 });
    const usage: Usage = { inputTokens: 1000, cacheReadTokens: 400, outputTokens: 100 };
    assertUsd(computeCost(usage, price), (600 * 0.5 + 400 * 0.5 + 100 * 1) / 1e6);
  });

  test('a zero override is a real price of zero (local models)', () => {
    const price = resolvePrice('ollama', 'llama3.2', { input: 0, output: 0 });
    assert.equal(computeCost({ inputTokens: 500, outputTokens: 50 }, price), 0);
  });

  test('a partial override leaves the missing rate unknown', () => {
    const price = resolvePrice('my-vllm', 'my-finetune', { input: 0.5 });
    assert.deepEqual(price, { input: 0.5 });
    assert.equal(computeCost({ inputTokens: 100, outputTokens: 10 }, price), null);
    assertUsd(computeCost({ inputTokens: 100, outputTokens: 0 }, price), (100 * 0.5) / 1e6);
  });
});

describe('unknown prices', () => {
  test('unknown model → null, never 0', () => {
    assert.equal(resolvePrice('openai', 'no-such-model-xyz'), undefined);
    assert.equal(
      computeCost({ inputTokens: 10, outputTokens: 10 }, resolvePrice('openai', 'no-such-model-xyz')),
      null,
    );
    assert.equal(computeCost({ inputTokens: 0, outputTokens: 0 }, undefined), null);
    assert.equal(computeCost({ inputTokens: 10, outputTokens: 10 }, null), null);
  });

  test('ollama has no catalog price without an override', () => {
    assert.equal(resolvePrice('ollama', 'gpt-oss:20b'), undefined);
  });

  test('output tokens with no output rate (an embedding price) → null', () => {
    const price = resolvePrice('cohere', 'embed-v4.0');
    assert.deepEqual(price, { input: 0.12 });
    assertUsd(computeCost({ inputTokens: 1000, outputTokens: 0 }, price), (1000 * 0.12) / 1e6);
    assert.equal(computeCost({ inputTokens: 1000, outputTokens: 1 }, price), null);
  });
});
