import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requirementsFromBody, requirementsFromCanonical, unmetRequirement } from './capabilities.ts';

describe('request needs', () => {
  test('OpenAI chat body: tools, images, JSON schema, prompt size, max tokens', () => {
    const needs = requirementsFromBody({
      model: 'x',
      messages: [
        { role: 'system', content: 'a'.repeat(40) },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'b'.repeat(40) },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } },
          ],
        },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
      response_format: { type: 'json_schema', json_schema: { name: 'n', schema: {} } },
      max_completion_tokens: 500,
    });
    // 80 characters of text (roles and the image's bytes are not counted) and one image
    assert.deepEqual(needs, {
      tools: true,
      images: true,
      jsonSchema: true,
      promptTokens: 20 + 256,
      maxOutputTokens: 500,
    });
  });

  test('Anthropic and Gemini bodies', () => {
    const anthropic = requirementsFromBody({
      system: [{ type: 'text', text: 'x'.repeat(400) }],
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'AAAA' } }] }],
      max_tokens: 100,
    });
    assert.deepEqual(anthropic, {
      tools: false,
      images: true,
      jsonSchema: false,
      promptTokens: 100 + 256,
      maxOutputTokens: 100,
    });
    const gemini = requirementsFromBody({
      contents: [
        {
          role: 'user',
          parts: [{ text: 'y'.repeat(8) }, { inlineData: { mimeType: 'image/jpeg', data: 'AAAA' } }],
        },
      ],
      generationConfig: { responseSchema: { type: 'OBJECT' }, maxOutputTokens: 64 },
    });
    assert.deepEqual(gemini, {
      tools: false,
      images: true,
      jsonSchema: true,
      promptTokens: 2 + 256,
      maxOutputTokens: 64,
    });
  });

  test('canonical request', () => {
    const needs = requirementsFromCanonical({
      model: 'x',
      stream: false,
      extra: {},
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'z'.repeat(400) }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }] },
      ],
      tools: [{ name: 'f' }],
    });
    assert.deepEqual(needs, {
      tools: true,
      images: false,
      jsonSchema: false,
      promptTokens: 101,
      maxOutputTokens: undefined,
    });
  });

  test('what a deployment lacks, in words', () => {
    const needs = { tools: true, images: true, jsonSchema: true, promptTokens: 1000, maxOutputTokens: 200 };
    assert.equal(unmetRequirement(needs, undefined, undefined), undefined);
    assert.equal(unmetRequirement(needs, { tools: false }, undefined), 'does not support tools');
    assert.equal(unmetRequirement(needs, { images: false }, undefined), 'does not accept images');
    assert.equal(
      unmetRequirement(needs, { jsonSchema: false }, undefined),
      'does not support JSON schema output',
    );
    assert.equal(
      unmetRequirement(needs, { tools: true }, 1100),
      'context window of 1100 tokens is too small for ~1000 prompt tokens + 200 output tokens',
    );
    assert.equal(unmetRequirement(needs, {}, 1200), undefined);
  });
});
