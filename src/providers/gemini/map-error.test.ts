import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseError } from './map-error.ts';
import { buildContext, fixture } from './test-helpers.ts';

const target = buildContext().target;

function summary(error: ReturnType<typeof parseError>) {
  return {
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    upstreamType: error.upstreamType,
    upstreamCode: error.upstreamCode,
    retryAfter: error.retryAfter,
    provider: error.provider,
    message: error.message,
  };
}

describe('gemini parseError', () => {
  it('429 RESOURCE_EXHAUSTED: retryable, retryAfter from RetryInfo', () => {
    assert.deepEqual(summary(parseError(429, fixture('error-429.json'), {}, target)), {
      code: 'rate_limited',
      status: 429,
      retryable: true,
      upstreamType: 'RESOURCE_EXHAUSTED',
      upstreamCode: undefined,
      retryAfter: 12,
      provider: 'gemini',
      message: 'Resource has been exhausted (e.g. check quota).',
    });
  });

  it('400 with a bad key: not retryable, ErrorInfo reason kept as upstreamCode', () => {
    assert.deepEqual(summary(parseError(400, fixture('error-400-key.json'), {}, target)), {
      code: 'invalid_request',
      status: 400,
      retryable: false,
      upstreamType: 'INVALID_ARGUMENT',
      upstreamCode: 'API_KEY_INVALID',
      retryAfter: undefined,
      provider: 'gemini',
      message: 'API key not valid. Please pass a valid API key.',
    });
  });

  it('503 in an array-wrapped body with a retry-after header', () => {
    const body = JSON.stringify([
      { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
    ]);
    assert.deepEqual(summary(parseError(503, body, { 'retry-after': '7' }, target)), {
      code: 'upstream_unavailable',
      status: 503,
      retryable: true,
      upstreamType: 'UNAVAILABLE',
      upstreamCode: undefined,
      retryAfter: 7,
      provider: 'gemini',
      message: 'The model is overloaded.',
    });
  });

  it('a body that is not JSON keeps the status and does not echo the body', () => {
    const error = parseError(502, '<html>Bad Gateway</html>', {}, target);
    assert.deepEqual(summary(error), {
      code: 'upstream_unavailable',
      status: 502,
      retryable: true,
      upstreamType: undefined,
      upstreamCode: undefined,
      retryAfter: undefined,
      provider: 'gemini',
      message: 'Gemini returned HTTP 502',
    });
  });
});
