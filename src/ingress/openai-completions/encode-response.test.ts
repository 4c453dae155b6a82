import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import codec from './index.ts';

const context: EncodeContext = { requestId: 'req_42', requestedModel: 'gpt-3.5-turbo-instruct' };

const response: CanonicalResponse = {
  id: 'chatcmpl-8abc',
  model: 'gpt-4o-mini-2024-07-18',
  created: 1765552663,
  content: [
    { type: 'reasoning', text: 'The user wants a test sentence.' },
    { type: 'text', text: 'This is ' },
    { type: 'text', text: 'a test.' },
  ],
  finishReason: 'stop',
  rawFinishReason: 'stop',
  usage: { inputTokens: 5, outputTokens: 7, cacheReadTokens: 2, reasoningTokens: 3 },
};

describe('encodeResponse', () => {
  it('renders a text_completion, dropping reasoning', () => {
    assert.deepEqual(codec.encodeResponse(response, context), {
      id: 'cmpl-8abc',
      object: 'text_completion',
      created: 1765552663,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ text: 'This is a test.', index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
  });

  it('puts the prompt in front of the text when the request asked for echo', () => {
    const request = codec.decodeRequest(
      { model: 'gpt-3.5-turbo-instruct', prompt: 'Say: ', echo: true },
      info(),
    );
    const body = codec.encodeResponse(response, { ...context, request }) as {
      choices: Array<{ text: string }>;
    };
    assert.equal(body.choices[0].text, 'Say: This is a test.');
  });

  it('maps finish reasons onto stop, length and content_filter', () => {
    const reasons = ['stop', 'length', 'content-filter', 'tool-calls', 'other', 'error'] as const;
    const rendered = reasons.map((finishReason) => {
      const body = codec.encodeResponse({ ...response, finishReason }, context) as {
        choices: Array<{ finish_reason: string }>;
      };
      return body.choices[0].finish_reason;
    });
    assert.deepEqual(rendered, ['stop', 'length', 'content_filter', 'stop', 'stop', 'stop']);
  });

  it('keeps cmpl- ids, prefixes others and falls back to the request id and requested model', () => {
    const ids = ['cmpl-keep', 'msg_01XY', ''].map(
      (id) => codec.encodeResponse({ ...response, id, model: '' }, context) as { id: string; model: string },
    );
    assert.deepEqual(
      ids.map((body) => [body.id, body.model]),
      [
        ['cmpl-keep', 'gpt-3.5-turbo-instruct'],
        ['cmpl-msg_01XY', 'gpt-3.5-turbo-instruct'],
        ['cmpl-req_42', 'gpt-3.5-turbo-instruct'],
      ],
    );
  });
});

describe('encodeError', () => {
  it('renders the OpenAI error shape with the status', () => {
    const error = new GatewayError('invalid_request', "'prompt' is required", { param: 'prompt' });
    assert.deepEqual(codec.encodeError(error), {
      status: 400,
      body: {
        error: {
          message: "'prompt' is required",
          type: 'invalid_request_error',
          param: 'prompt',
          code: 'invalid_request',
        },
      },
    });
  });

  it('keeps an upstream status, type and code', () => {
    const error = new GatewayError('rate_limited', 'Rate limit reached', {
      upstreamType: 'requests',
      upstreamCode: 'rate_limit_exceeded',
    });
    assert.deepEqual(codec.encodeError(error), {
      status: 429,
      body: {
        error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' },
      },
    });
  });
});

function info() {
  return { requestId: 'req_42', headers: {}, path: '/v1/completions', query: new URLSearchParams() };
}
