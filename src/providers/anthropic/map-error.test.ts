import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayError } from '../../core/errors.ts';
import { anthropicStreamError, parseAnthropicError } from './map-error.ts';

function summary(error: GatewayError) {
  return {
    code: error.code,
    message: error.message,
    status: error.status,
    retryable: error.retryable,
    upstreamType: error.upstreamType,
    provider: error.provider,
    retryAfter: error.retryAfter,
    details: error.details,
  };
}

function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CTestRequestId' });
}

describe('parseAnthropicError', () => {
  const cases = [
    {
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: Field required',
      expected: { code: 'invalid_request', retryable: false },
    },
    {
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
      expected: { code: 'unauthorized', retryable: false },
    },
    {
      status: 402,
      type: 'billing_error',
      message: 'Your credit balance is too low',
      expected: { code: 'upstream_error', retryable: false },
    },
    {
      status: 403,
      type: 'permission_error',
      message: 'Not allowed',
      expected: { code: 'forbidden', retryable: false },
    },
    {
      status: 404,
      type: 'not_found_error',
      message: 'model: claude-x',
      expected: { code: 'not_found', retryable: false },
    },
    {
      status: 413,
      type: 'request_too_large',
      message: 'Request exceeds the maximum size',
      expected: { code: 'body_too_large', retryable: false },
    },
    {
      status: 500,
      type: 'api_error',
      message: 'Internal server error',
      expected: { code: 'upstream_unavailable', retryable: true },
    },
    {
      status: 504,
      type: 'timeout_error',
      message: 'Request timed out',
      expected: { code: 'upstream_timeout', retryable: true },
    },
    {
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      expected: { code: 'upstream_overloaded', retryable: true },
    },
  ] as const;
  for (const { status, type, message, expected } of cases) {
    it(`${status} ${type}`, () => {
      const error = parseAnthropicError(status, errorBody(type, message), {}, 'anthropic');
      assert.deepEqual(summary(error), {
        code: expected.code,
        message,
        status,
        retryable: expected.retryable,
        upstreamType: type,
        provider: 'anthropic',
        retryAfter: undefined,
        details: { requestId: 'req_011CTestRequestId' },
      });
    });
  }

  it('429 keeps retry-after', () => {
    const error = parseAnthropicError(
      429,
      errorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
      { 'retry-after': '17', 'request-id': 'req_header' },
      'anthropic-eu',
    );
    assert.deepEqual(summary(error), {
      code: 'rate_limited',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      status: 429,
      retryable: true,
      upstreamType: 'rate_limit_error',
      provider: 'anthropic-eu',
      retryAfter: 17,
      details: { requestId: 'req_011CTestRequestId' },
    });
  });

  it('a body that is not Anthropic JSON still gives a useful error', () => {
    const error = parseAnthropicError(
      502,
      '<html>Bad Gateway</html>',
      { 'request-id': 'req_h1' },
      'anthropic',
    );
    assert.deepEqual(summary(error), {
      code: 'upstream_unavailable',
      message: 'Anthropic returned HTTP 502: <html>Bad Gateway</html>',
      status: 502,
      retryable: true,
      upstreamType: undefined,
      provider: 'anthropic',
      retryAfter: undefined,
      details: { requestId: 'req_h1' },
    });
  });
});

describe('anthropicStreamError', () => {
  it('maps an overloaded error event to a retryable 529', () => {
    const error = anthropicStreamError({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    assert.deepEqual(summary(error), {
      code: 'upstream_overloaded',
      message: 'Overloaded',
      status: 529,
      retryable: true,
      upstreamType: 'overloaded_error',
      provider: undefined,
      retryAfter: undefined,
      details: undefined,
    });
  });

  it('maps an invalid request error event to a non-retryable 400', () => {
    const error = anthropicStreamError(
      { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } },
      'a',
    );
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
  });
});
