import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PassthroughContext } from '../../core/adapters.ts';
import { buildAnthropicPassthroughRequest, buildAnthropicRequest } from './build-request.ts';
import { testContext, testRequest, testTarget, user } from './test-helpers.ts';

describe('buildAnthropicRequest', () => {
  it('posts the body to /v1/messages with the instance key and the API version', () => {
    const context = testContext();
    const upstream = buildAnthropicRequest(testRequest([user('Hi')], { maxOutputTokens: 100 }), context);
    assert.deepEqual(
      { ...upstream, body: JSON.parse(String(upstream.body)) },
      {
        method: 'POST',
        url: 'https://api.anthropic.com/v1/messages',
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'x-api-key': 'sk-ant-test-key',
        },
        body: {
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: 100,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
        },
      },
    );
  });

  it('sets stream:true for streamed requests and adds instance headers', () => {
    const target = testTarget();
    target.provider = {
      ...target.provider,
      baseUrl: 'http://127.0.0.1:9999/anthropic',
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'x-team': 'blue' },
    };
    const upstream = buildAnthropicRequest(testRequest([user('Hi')], { stream: true }), testContext(target));
    assert.equal(upstream.url, 'http://127.0.0.1:9999/anthropic/v1/messages');
    assert.deepEqual(upstream.headers, {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'x-team': 'blue',
      'x-api-key': 'sk-ant-test-key',
    });
    assert.deepEqual(JSON.parse(String(upstream.body)), {
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 64_000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: true,
    });
  });
});

describe('buildAnthropicPassthroughRequest', () => {
  function context(fields: Partial<PassthroughContext> = {}): PassthroughContext {
    return {
      target: testTarget(),
      path: '/messages',
      stream: true,
      clientHeaders: {},
      encodeBody: (body) => JSON.stringify(body),
      ...fields,
    };
  }

  it('changes only the model and the credentials, forwarding version and beta headers', () => {
    const clientBody = {
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      system: [{ type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hello' }],
      service_tier: 'auto',
      stream: true,
    };
    const upstream = buildAnthropicPassthroughRequest(
      structuredClone(clientBody),
      context({
        clientHeaders: {
          'x-api-key': 'client-gateway-key',
          authorization: 'Bearer client-token',
          'anthropic-version': '2023-01-01',
          'anthropic-beta': 'interleaved-thinking-2025-05-14,files-api-2025-04-14',
        },
      }),
    );
    assert.deepEqual(
      { ...upstream, body: JSON.parse(String(upstream.body)) },
      {
        method: 'POST',
        url: 'https://api.anthropic.com/v1/messages',
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-01-01',
          'anthropic-beta': 'interleaved-thinking-2025-05-14,files-api-2025-04-14',
          'x-api-key': 'sk-ant-test-key',
        },
        body: { ...clientBody, model: 'claude-sonnet-4-5-20250929' },
      },
    );
  });

  it('defaults the version and targets count_tokens', () => {
    const upstream = buildAnthropicPassthroughRequest(
      { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello' }] },
      context({ path: '/messages/count_tokens', stream: false }),
    );
    assert.equal(upstream.url, 'https://api.anthropic.com/v1/messages/count_tokens');
    assert.deepEqual(upstream.headers, {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-test-key',
    });
    assert.deepEqual(JSON.parse(String(upstream.body)), {
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });
});
