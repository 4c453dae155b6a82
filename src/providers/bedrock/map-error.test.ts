import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Target } from '../../core/adapters.ts';
import type { GatewayError } from '../../core/errors.ts';
import { parseError, streamExceptionError } from './map-error.ts';

const TARGET: Target = {
  provider: { id: 'bedrock-eu', type: 'bedrock', baseUrl: 'https://x', options: {}, source: 'config' },
  deployment: { provider: 'bedrock-eu', model: 'anthropic.claude-3-haiku-20240307-v1:0' },
  modelId: 'claude-3-haiku',
};

function summary(error: GatewayError) {
  return {
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    upstreamType: error.upstreamType,
    message: error.message,
    provider: error.provider,
    retryAfter: error.retryAfter,
  };
}

describe('parseError', () => {
  it('keeps the status and reads the type from x-amzn-errortype', () => {
    const error = parseError(
      400,
      '{"message":"The provided model identifier is invalid."}',
      { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
      TARGET,
    );
    assert.deepEqual(summary(error), {
      code: 'invalid_request',
      status: 400,
      retryable: false,
      upstreamType: 'ValidationException',
      message: 'The provided model identifier is invalid.',
      provider: 'bedrock-eu',
      retryAfter: undefined,
    });
  });

  it('makes throttling and server errors retryable, honouring retry-after', () => {
    const throttled = parseError(
      429,
      '{"message":"Too many requests, please wait before trying again."}',
      { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '3' },
      TARGET,
    );
    assert.deepEqual(summary(throttled), {
      code: 'rate_limited',
      status: 429,
      retryable: true,
      upstreamType: 'ThrottlingException',
      message: 'Too many requests, please wait before trying again.',
      provider: 'bedrock-eu',
      retryAfter: 3,
    });
    const unavailable = parseError(
      503,
      '{"Message":"Service unavailable"}',
      { 'x-amzn-errortype': ['ServiceUnavailableException'] },
      TARGET,
    );
    assert.deepEqual(
      [unavailable.code, unavailable.status, unavailable.retryable, unavailable.message],
      ['upstream_unavailable', 503, true, 'Service unavailable'],
    );
    const modelError = parseError(
      424,
      '{"message":"Model failed"}',
      { 'x-amzn-errortype': 'ModelErrorException' },
      TARGET,
    );
    assert.deepEqual(
      [modelError.code, modelError.status, modelError.retryable],
      ['upstream_error', 424, false],
    );
    const denied = parseError(
      403,
      '{"message":"no access"}',
      { 'x-amzn-errortype': 'AccessDeniedException' },
      TARGET,
    );
    assert.deepEqual([denied.code, denied.status, denied.retryable], ['forbidden', 403, false]);
  });

  it('copes with a non-JSON or empty body', () => {
    assert.equal(parseError(502, '<html>Bad Gateway</html>', {}, TARGET).message, '<html>Bad Gateway</html>');
    assert.equal(parseError(500, '', {}, TARGET).message, 'Bedrock returned HTTP 500');
  });
});

describe('streamExceptionError', () => {
  it('maps each stream exception to a code, status and retryability', () => {
    const cases = [
      ['throttlingException', 'rate_limited', 429, true],
      ['serviceUnavailableException', 'upstream_unavailable', 503, true],
      ['internalServerException', 'upstream_unavailable', 500, true],
      ['modelStreamErrorException', 'upstream_error', 424, false],
      ['validationException', 'invalid_request', 400, false],
      ['brandNewException', 'upstream_error', 502, false],
      ['__proto__', 'upstream_error', 502, false],
    ] as const;
    for (const [type, code, status, retryable] of cases) {
      const error = streamExceptionError(type, '{"message":"boom"}');
      assert.deepEqual(
        [error.code, error.status, error.retryable, error.message],
        [code, status, retryable, 'boom'],
      );
      assert.equal(error.upstreamType, type.charAt(0).toUpperCase() + type.slice(1));
    }
  });
});
