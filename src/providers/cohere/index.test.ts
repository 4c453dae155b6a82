import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Target } from '../../core/adapters.ts';
import cohere from './index.ts';
import { parseError } from './map-error.ts';

describe('instances', () => {
  test('fromEnv: COHERE_API_KEY activates cohere; COHERE_BASE_URL overrides the host (trailing slash stripped)', () => {
    assert.deepEqual(cohere.fromEnv({}), []);
    assert.deepEqual(cohere.fromEnv({ COHERE_API_KEY: 'k1' }), [
      {
        id: 'cohere',
        type: 'cohere',
        baseUrl: 'https://api.cohere.com',
        apiKey: 'k1',
        options: {},
        source: 'env',
      },
    ]);
    assert.deepEqual(cohere.fromEnv({ COHERE_API_KEY: 'k1', COHERE_BASE_URL: 'http://127.0.0.1:8080/' }), [
      {
        id: 'cohere',
        type: 'cohere',
        baseUrl: 'http://127.0.0.1:8080',
        apiKey: 'k1',
        options: {},
        source: 'env',
      },
    ]);
  });

  test('fromConfig: owns type cohere only', () => {
    assert.deepEqual(
      cohere.fromConfig?.(
        'co-eu',
        {
          type: 'cohere',
          base_url: 'https://eu.example.com/',
          api_key: 'k2',
          headers: { 'x-client-name': 'sy' },
        },
        {},
      ),
      {
        id: 'co-eu',
        type: 'cohere',
        baseUrl: 'https://eu.example.com',
        apiKey: 'k2',
        headers: { 'x-client-name': 'sy' },
        options: {},
        source: 'config',
      },
    );
    assert.deepEqual(cohere.fromConfig?.('cohere', {}, { COHERE_API_KEY: 'k3' }), {
      id: 'cohere',
      type: 'cohere',
      baseUrl: 'https://api.cohere.com',
      apiKey: 'k3',
      options: {},
      source: 'config',
    });
    assert.equal(cohere.fromConfig?.('x', { type: 'openai-compatible' }, {}), undefined);
    assert.deepEqual(cohere.types, ['cohere']);
  });

  test('adapter: chat only, cohere-v2 wire protocol', () => {
    assert.deepEqual([...cohere.adapter.operations], ['chat']);
    assert.equal(cohere.adapter.wireProtocol, 'cohere-v2');
    assert.equal(cohere.adapter.type, 'cohere');
  });
});

describe('parseError', () => {
  const target: Target = {
    provider: {
      id: 'co-eu',
      type: 'cohere',
      baseUrl: 'https://api.cohere.com',
      apiKey: 'secret-key',
      options: {},
      source: 'config',
    },
    deployment: { provider: 'co-eu', model: 'command-a-03-2025' },
    modelId: 'command-a',
  };

  test('{message} bodies keep the message and the status', () => {
    const error = parseError(
      400,
      '{"id":"x","message":"invalid request: messages must not be empty"}',
      {},
      target,
    );
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(error.message, 'invalid request: messages must not be empty');
    assert.equal(error.retryable, false);
    assert.equal(error.provider, 'co-eu');
  });

  test('429 and 5xx are retryable; retry-after is read', () => {
    const limited = parseError(
      429,
      '{"message":"You are using a Trial key"}',
      { 'retry-after': '12' },
      target,
    );
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.status, 429);
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfter, 12);
    const down = parseError(503, '{"message":"service unavailable"}', {}, target);
    assert.equal(down.code, 'upstream_unavailable');
    assert.equal(down.status, 503);
    assert.equal(down.retryable, true);
    const internal = parseError(500, '{"message":"internal server error"}', {}, target);
    assert.equal(internal.retryable, true);
  });

  test('498 (invalid token) is unauthorized, status kept; non-JSON bodies are quoted briefly', () => {
    const error = parseError(498, '{"message":"invalid api token"}', {}, target);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 498);
    assert.equal(error.retryable, false);
    const html = parseError(502, '<html>Bad Gateway</html>', {}, target);
    assert.equal(html.message, 'Cohere returned HTTP 502: <html>Bad Gateway</html>');
    assert.equal(html.retryable, true);
    assert.equal(html.message.includes('secret-key'), false);
  });
});
