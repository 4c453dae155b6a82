import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { encodeGeminiError } from './encode-error.ts';

test('renders the Google RPC status body with the status name for each HTTP status', () => {
  const cases: Array<[GatewayError, number, string]> = [
    [new GatewayError('invalid_request', 'contents is required'), 400, 'INVALID_ARGUMENT'],
    [new GatewayError('unsupported_operation', 'no embeddings here'), 422, 'INVALID_ARGUMENT'],
    [new GatewayError('unauthorized', 'bad key'), 401, 'UNAUTHENTICATED'],
    [new GatewayError('forbidden', 'no access'), 403, 'PERMISSION_DENIED'],
    [new GatewayError('model_not_found', 'no such model'), 404, 'NOT_FOUND'],
    [new GatewayError('rate_limited', 'slow down'), 429, 'RESOURCE_EXHAUSTED'],
    [new GatewayError('internal', 'oops'), 500, 'INTERNAL'],
    [new GatewayError('upstream_unavailable', 'down'), 503, 'UNAVAILABLE'],
    [new GatewayError('upstream_connection', 'reset'), 502, 'UNAVAILABLE'],
    [new GatewayError('upstream_timeout', 'slow'), 504, 'DEADLINE_EXCEEDED'],
    [new GatewayError('client_closed', 'gone'), 499, 'CANCELLED'],
  ];
  for (const [error, status, name] of cases) {
    assert.deepEqual(encodeGeminiError(error), {
      status,
      body: { error: { code: status, message: error.message, status: name } },
    });
  }
});

test("keeps a Gemini upstream's own status name and turns retry-after into RetryInfo", () => {
  const error = new GatewayError('invalid_request', 'User location is not supported', {
    upstreamType: 'FAILED_PRECONDITION',
  });
  assert.deepEqual(encodeGeminiError(error).body, {
    error: { code: 400, message: 'User location is not supported', status: 'FAILED_PRECONDITION' },
  });
  const limited = new GatewayError('rate_limited', 'quota', {
    upstreamType: 'rate_limit_error',
    retryAfter: 34.4,
  });
  assert.deepEqual(encodeGeminiError(limited), {
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'quota',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '35s' }],
      },
    },
  });
});
