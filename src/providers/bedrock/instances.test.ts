import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bedrock from './index.ts';

describe('bedrock provider module', () => {
  it('owns type bedrock and speaks Converse for chat only', () => {
    assert.deepEqual(bedrock.types, ['bedrock']);
    assert.equal(bedrock.adapter.wireProtocol, 'bedrock-converse');
    assert.deepEqual([...bedrock.adapter.operations], ['chat']);
  });
});

describe('fromEnv', () => {
  it('is inactive without credentials, or with only half a key pair', () => {
    assert.deepEqual(bedrock.fromEnv({}), []);
    assert.deepEqual(bedrock.fromEnv({ AWS_ACCESS_KEY_ID: 'AKID', AWS_REGION: 'eu-west-1' }), []);
  });

  it('activates with access keys, session token and region', () => {
    assert.deepEqual(
      bedrock.fromEnv({
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY: 'SECRET',
        AWS_SESSION_TOKEN: 'TOKEN',
        AWS_DEFAULT_REGION: 'eu-central-1',
      }),
      [
        {
          id: 'bedrock',
          type: 'bedrock',
          baseUrl: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
          options: {
            region: 'eu-central-1',
            accessKeyId: 'AKID',
            secretAccessKey: 'SECRET',
            sessionToken: 'TOKEN',
          },
          source: 'env',
        },
      ],
    );
  });

  it('activates with a Bedrock API key; AWS_REGION wins; BEDROCK_BASE_URL overrides the host', () => {
    assert.deepEqual(
      bedrock.fromEnv({
        AWS_BEARER_TOKEN_BEDROCK: 'ABSK-key',
        AWS_REGION: 'ap-south-1',
        AWS_DEFAULT_REGION: 'eu-central-1',
        BEDROCK_BASE_URL: 'http://127.0.0.1:9999/',
      }),
      [
        {
          id: 'bedrock',
          type: 'bedrock',
          baseUrl: 'http://127.0.0.1:9999',
          options: { region: 'ap-south-1', bearerToken: 'ABSK-key' },
          source: 'env',
        },
      ],
    );
    assert.equal(bedrock.fromEnv({ AWS_BEARER_TOKEN_BEDROCK: 'k' })[0].options.region, 'us-east-1');
  });
});

describe('fromConfig', () => {
  const env = { AWS_ACCESS_KEY_ID: 'ENV-AKID', AWS_SECRET_ACCESS_KEY: 'ENV-SECRET', AWS_REGION: 'us-east-2' };

  it('ignores entries of other types', () => {
    assert.equal(bedrock.fromConfig?.('openai', { type: 'openai' }, env), undefined);
    assert.equal(bedrock.fromConfig?.('mine', {}, env), undefined);
  });

  it('uses its own credentials and region', () => {
    assert.deepEqual(
      bedrock.fromConfig?.(
        'bedrock-eu',
        {
          type: 'bedrock',
          headers: { 'x-a': '1' },
          options: { region: 'eu-west-3', accessKeyId: 'CFG-AKID', secretAccessKey: 'CFG-SECRET' },
        },
        env,
      ),
      {
        id: 'bedrock-eu',
        type: 'bedrock',
        baseUrl: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
        headers: { 'x-a': '1' },
        options: { region: 'eu-west-3', accessKeyId: 'CFG-AKID', secretAccessKey: 'CFG-SECRET' },
        source: 'config',
      },
    );
  });

  it('takes api_key as a Bedrock API key, and falls back to the environment credentials', () => {
    assert.deepEqual(
      bedrock.fromConfig?.('bedrock', { api_key: 'ABSK-cfg', base_url: 'http://fake/' }, env)?.options,
      {
        region: 'us-east-2',
        bearerToken: 'ABSK-cfg',
      },
    );
    assert.deepEqual(bedrock.fromConfig?.('b2', { type: 'bedrock' }, env), {
      id: 'b2',
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.us-east-2.amazonaws.com',
      headers: undefined,
      options: { region: 'us-east-2', accessKeyId: 'ENV-AKID', secretAccessKey: 'ENV-SECRET' },
      source: 'config',
    });
  });
});
