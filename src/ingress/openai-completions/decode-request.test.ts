import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { decodeRequest } from './decode-request.ts';
import { echoPrefix } from './echo.ts';

describe('decodeRequest', () => {
  it('maps every supported field onto the canonical request', () => {
    const request = decodeRequest({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 7,
      temperature: 0.2,
      top_p: 0.9,
      n: 1,
      stop: ['\n', 'END'],
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'user-1234',
      stream: true,
      stream_options: { include_usage: true },
      echo: false,
    });
    assert.deepEqual(request, {
      model: 'gpt-3.5-turbo-instruct',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say this is a test' }] }],
      maxOutputTokens: 7,
      temperature: 0.2,
      topP: 0.9,
      n: 1,
      stop: ['\n', 'END'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      user: 'user-1234',
      stream: true,
      extra: {},
    } satisfies CanonicalRequest);
  });

  it('applies the legacy max_tokens default of 16 and accepts a one-element prompt array', () => {
    assert.deepEqual(decodeRequest({ model: 'm', prompt: ['Once upon a time'], max_tokens: null }), {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Once upon a time' }] }],
      maxOutputTokens: 16,
      stream: false,
      extra: {},
    });
  });

  it('takes a single stop string as a one-item list', () => {
    assert.deepEqual(decodeRequest({ model: 'm', prompt: 'x', stop: 'END' }).stop, ['END']);
  });

  it('puts fields chat providers cannot honour into extra, so they are warned about', () => {
    const request = decodeRequest({
      model: 'm',
      prompt: 'def add(a, b):',
      suffix: '\n\nprint(add(1, 2))',
      logprobs: 5,
      best_of: 3,
      logit_bias: { '50256': -100 },
      some_vendor_field: { on: true },
    });
    assert.deepEqual(request.extra, {
      suffix: '\n\nprint(add(1, 2))',
      logprobs: 5,
      best_of: 3,
      logit_bias: { '50256': -100 },
      some_vendor_field: { on: true },
    });
  });

  it('leaves out nulls and values equal to the legacy defaults (best_of 1, empty logit_bias)', () => {
    const request = decodeRequest({
      model: 'm',
      prompt: 'x',
      suffix: null,
      logprobs: null,
      best_of: 1,
      logit_bias: {},
      stream_options: null,
    });
    assert.deepEqual(request.extra, {});
  });

  it('remembers echo for the encoder instead of sending it to providers', () => {
    const request = decodeRequest({ model: 'm', prompt: 'Hello,', echo: true });
    assert.deepEqual(request.extra, {});
    assert.equal(echoPrefix({ requestId: 'r', requestedModel: 'm', request }), 'Hello,');
    const plain = decodeRequest({ model: 'm', prompt: 'Hello,' });
    assert.equal(echoPrefix({ requestId: 'r', requestedModel: 'm', request: plain }), '');
  });
});

describe('decodeRequest validation', () => {
  const base = { model: 'gpt-3.5-turbo-instruct', prompt: 'hi' };
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a non-object body', ['x'], 'body', /JSON object/],
    ['a missing model', { prompt: 'hi' }, 'model', /must provide a model/],
    ['an empty model', { model: '', prompt: 'hi' }, 'model', /must provide a model/],
    ['a missing prompt', { model: 'm' }, 'prompt', /'prompt' is required/],
    ['a null prompt', { model: 'm', prompt: null }, 'prompt', /'prompt' is required/],
    ['token ids', { ...base, prompt: [1212, 318, 257] }, 'prompt', /^token-id prompts are not supported/],
    [
      'token-id arrays',
      { ...base, prompt: [[1212, 318], [257]] },
      'prompt',
      /^token-id prompts are not supported/,
    ],
    [
      'several prompts',
      { ...base, prompt: ['a', 'b'] },
      'prompt',
      /holds 2 prompts; only one prompt per request/,
    ],
    ['an empty prompt array', { ...base, prompt: [] }, 'prompt', /must not be an empty array/],
    ['mixed prompt items', { ...base, prompt: ['a', 1] }, 'prompt', /string or an array of strings/],
    ['an object prompt', { ...base, prompt: { text: 'a' } }, 'prompt', /string or an array of strings/],
    [
      'a string temperature',
      { ...base, temperature: '0.5' },
      'temperature',
      /'temperature' must be a number/,
    ],
    ['a string max_tokens', { ...base, max_tokens: '5' }, 'max_tokens', /'max_tokens' must be a number/],
    ['a numeric stop', { ...base, stop: 5 }, 'stop', /'stop' must be a string or an array/],
    ['a string stream', { ...base, stream: 'true' }, 'stream', /'stream' must be a boolean/],
    ['a string echo', { ...base, echo: 'yes' }, 'echo', /'echo' must be a boolean/],
    ['a numeric user', { ...base, user: 7 }, 'user', /'user' must be a string/],
  ];
  for (const [name, body, param, message] of cases) {
    it(`refuses ${name} with a 400 naming '${param}'`, () => {
      assert.throws(
        () => decodeRequest(body),
        (error: unknown) => {
          assert.ok(error instanceof GatewayError);
          assert.equal(error.code, 'invalid_request');
          assert.equal(error.status, 400);
          assert.equal(error.param, param);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
