import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { parseGeminiPath } from './parse-path.ts';

test('reads model and method from a v1beta path', () => {
  assert.deepEqual(parseGeminiPath('/v1beta/models/gemini-2.5-flash:generateContent'), {
    model: 'gemini-2.5-flash',
    method: 'generateContent',
  });
  assert.deepEqual(parseGeminiPath('/v1/models/gemini-2.5-pro:streamGenerateContent?alt=sse'), {
    model: 'gemini-2.5-pro',
    method: 'streamGenerateContent',
  });
  assert.deepEqual(parseGeminiPath('models/gemini-2.0-flash:countTokens'), {
    model: 'gemini-2.0-flash',
    method: 'countTokens',
  });
});

test('keeps slashes and colons that belong to the model', () => {
  assert.deepEqual(parseGeminiPath('/v1beta/models/anthropic/claude-sonnet-4-6:generateContent'), {
    model: 'anthropic/claude-sonnet-4-6',
    method: 'generateContent',
  });
  assert.deepEqual(parseGeminiPath('/v1beta/models/bedrock/anthropic.claude-v2:1:cost:generateContent'), {
    model: 'bedrock/anthropic.claude-v2:1:cost',
    method: 'generateContent',
  });
});

test('decodes URL-encoded paths', () => {
  assert.deepEqual(parseGeminiPath('/v1beta/models/openai%2Fgpt-4o%3AstreamGenerateContent'), {
    model: 'openai/gpt-4o',
    method: 'streamGenerateContent',
  });
});

test('keeps the tunedModels/ prefix, which names a different collection', () => {
  assert.deepEqual(parseGeminiPath('/v1beta/tunedModels/my-tuned-123:generateContent'), {
    model: 'tunedModels/my-tuned-123',
    method: 'generateContent',
  });
});

test('rejects paths without a model or a method', () => {
  for (const path of [
    '/v1beta/models/gemini-2.5-flash',
    '/v1beta/models/:generateContent',
    '/v1beta/files/x',
    '/v1beta/models/a%E0%A4%A:x',
  ]) {
    assert.throws(
      () => parseGeminiPath(path),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'invalid_request' && error.status === 400,
      path,
    );
  }
});
