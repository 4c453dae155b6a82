import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vertex from './index.ts';

describe('vertex module: instances', () => {
  it('fromEnv needs GOOGLE_APPLICATION_CREDENTIALS and VERTEX_PROJECT', () => {
    assert.deepEqual(vertex.fromEnv({ VERTEX_PROJECT: 'p' }), []);
    assert.deepEqual(vertex.fromEnv({ GOOGLE_APPLICATION_CREDENTIALS: '/sa.json' }), []);
    assert.deepEqual(vertex.fromEnv({ GOOGLE_APPLICATION_CREDENTIALS: '/sa.json', VERTEX_PROJECT: 'p' }), [
      {
        id: 'vertex',
        type: 'vertex',
        baseUrl: 'https://us-central1-aiplatform.googleapis.com',
        options: { project: 'p', location: 'us-central1', credentialsFile: '/sa.json' },
        source: 'env',
      },
    ]);
  });

  it('VERTEX_LOCATION picks the regional host; VERTEX_BASE_URL overrides it', () => {
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: '/sa.json',
      VERTEX_PROJECT: 'p',
      VERTEX_LOCATION: 'europe-west4',
    };
    assert.equal(vertex.fromEnv(env)[0].baseUrl, 'https://europe-west4-aiplatform.googleapis.com');
    assert.equal(
      vertex.fromEnv({ ...env, VERTEX_LOCATION: 'global' })[0].baseUrl,
      'https://aiplatform.googleapis.com',
    );
    assert.equal(
      vertex.fromEnv({ ...env, VERTEX_BASE_URL: 'http://127.0.0.1:4000/' })[0].baseUrl,
      'http://127.0.0.1:4000',
    );
  });

  it('fromConfig reads project, location and credentials from options, falling back to the environment', () => {
    assert.equal(vertex.fromConfig?.('x', { type: 'gemini' }, {}), undefined);
    assert.deepEqual(
      vertex.fromConfig?.(
        'vertex-eu',
        { type: 'vertex', options: { project: 'p2', location: 'europe-west1', credentials_file: '/k.json' } },
        {},
      ),
      {
        id: 'vertex-eu',
        type: 'vertex',
        baseUrl: 'https://europe-west1-aiplatform.googleapis.com',
        options: { project: 'p2', location: 'europe-west1', credentialsFile: '/k.json' },
        source: 'config',
      },
    );
    const fromEnv = vertex.fromConfig?.(
      'vertex',
      {},
      { VERTEX_PROJECT: 'p', GOOGLE_APPLICATION_CREDENTIALS: '/e.json' },
    );
    assert.deepEqual(fromEnv?.options, { project: 'p', location: 'us-central1', credentialsFile: '/e.json' });
    assert.throws(
      () => vertex.fromConfig?.('vertex', { options: { credentials_file: '/k.json' } }, {}),
      /project/,
    );
    assert.throws(() => vertex.fromConfig?.('vertex', { options: { project: 'p' } }, {}), /credentials_file/);
  });

  it('declares its protocol and operations', () => {
    assert.deepEqual(vertex.types, ['vertex']);
    assert.equal(vertex.adapter.wireProtocol, 'gemini');
    assert.deepEqual([...vertex.adapter.operations].sort(), ['chat', 'count-tokens']);
  });
});
