import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import anthropic from './index.ts';

describe('anthropic provider module', () => {
  it('activates from ANTHROPIC_API_KEY with the default base URL', () => {
    assert.deepEqual(anthropic.fromEnv({ ANTHROPIC_API_KEY: 'sk-ant-1' }), [
      {
        id: 'anthropic',
        type: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        apiKey: 'sk-ant-1',
        options: {},
        source: 'env',
      },
    ]);
  });

  it('honours ANTHROPIC_BASE_URL without a trailing slash or /v1', () => {
    const [a] = anthropic.fromEnv({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://localhost:8080/' });
    const [b] = anthropic.fromEnv({
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: 'https://proxy.example/anthropic/v1/',
    });
    assert.equal(a.baseUrl, 'http://localhost:8080');
    assert.equal(b.baseUrl, 'https://proxy.example/anthropic');
  });

  it('stays off without a key', () => {
    assert.deepEqual(anthropic.fromEnv({ ANTHROPIC_BASE_URL: 'http://localhost:8080' }), []);
  });

  it('builds instances from config entries of type anthropic only', () => {
    assert.deepEqual(
      anthropic.fromConfig?.(
        'claude-eu',
        { type: 'anthropic', base_url: 'https://eu.example.com/', api_key: 'sk-eu', headers: { 'x-a': '1' } },
        { ANTHROPIC_API_KEY: 'sk-env' },
      ),
      {
        id: 'claude-eu',
        type: 'anthropic',
        baseUrl: 'https://eu.example.com',
        apiKey: 'sk-eu',
        headers: { 'x-a': '1' },
        options: {},
        source: 'config',
      },
    );
    assert.equal(anthropic.fromConfig?.('other', { type: 'openai-compatible' }, {}), undefined);
    assert.equal(anthropic.fromConfig?.('anthropic', {}, { ANTHROPIC_API_KEY: 'sk-env' })?.apiKey, 'sk-env');
  });

  it('declares chat and count-tokens only', () => {
    assert.deepEqual(anthropic.types, ['anthropic']);
    assert.deepEqual([...anthropic.adapter.operations].sort(), ['chat', 'count-tokens']);
    assert.equal(anthropic.adapter.operations.has('embeddings'), false);
    assert.equal(anthropic.adapter.wireProtocol, 'anthropic-messages');
  });
});
