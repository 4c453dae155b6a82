import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ErrorCode, GatewayError, type GatewayErrorOptions } from '../../core/errors.ts';
import codec from './index.ts';

const encode = (code: ErrorCode, message: string, options?: GatewayErrorOptions) =>
  codec.encodeError(new GatewayError(code, message, options));

describe('anthropic-messages encodeError', () => {
  it('renders the Anthropic error body with the type for each status', () => {
    const cases: Array<[ErrorCode, GatewayErrorOptions | undefined, number, string]> = [
      ['invalid_request', undefined, 400, 'invalid_request_error'],
      ['unauthorized', undefined, 401, 'authentication_error'],
      ['forbidden', undefined, 403, 'permission_error'],
      ['not_found', undefined, 404, 'not_found_error'],
      ['model_not_found', undefined, 404, 'not_found_error'],
      ['body_too_large', undefined, 413, 'request_too_large'],
      ['unsupported_operation', undefined, 422, 'invalid_request_error'],
      ['rate_limited', undefined, 429, 'rate_limit_error'],
      ['internal', undefined, 500, 'api_error'],
      ['upstream_error', { status: 402 }, 402, 'billing_error'],
      ['upstream_unavailable', undefined, 503, 'api_error'],
      ['upstream_timeout', undefined, 504, 'timeout_error'],
      ['upstream_overloaded', undefined, 529, 'overloaded_error'],
      ['upstream_overloaded', { status: 503 }, 503, 'overloaded_error'],
    ];
    for (const [code, options, status, type] of cases) {
      assert.deepEqual(encode(code, 'Something went wrong', options), {
        status,
        body: { type: 'error', error: { type, message: 'Something went wrong' } },
      });
    }
  });

  it('keeps an upstream Anthropic error type and ignores foreign ones', () => {
    assert.deepEqual(
      encode('upstream_unavailable', 'Overloaded', { status: 529, upstreamType: 'overloaded_error' }),
      {
        status: 529,
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      },
    );
    assert.deepEqual(
      encode('invalid_request', 'prompt is too long', { status: 400, upstreamType: 'invalid_request_error' }),
      {
        status: 400,
        body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } },
      },
    );
    // An OpenAI-style type from another provider is not an Anthropic type: the status decides.
    assert.deepEqual(
      encode('upstream_unavailable', 'The server had an error', {
        status: 500,
        upstreamType: 'server_error',
      }),
      {
        status: 500,
        body: { type: 'error', error: { type: 'api_error', message: 'The server had an error' } },
      },
    );
  });
});
