import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { parseResponse } from './parse-response.ts';
import { counter, fixture, request } from './test-helpers.ts';

function parse(name: string) {
  return parseResponse(JSON.parse(fixture(name)), request(), { newId: counter() });
}

describe('gemini parseResponse', () => {
  it('text with thoughts: reasoning (with signature), text, cache and thought tokens in usage', () => {
    assert.deepEqual(parse('response-text.json'), {
      id: 'yA3mZaq9DcWz1e8P9q2wqQs',
      model: 'gemini-2.5-pro',
      content: [
        {
          type: 'reasoning',
          text: '**Thinking about greetings**\n\nA short, friendly reply fits.',
          signature: 'EpMCCpACAXLI2nyT8a1hGqK5',
          signatureProtocol: 'gemini',
        },
        { type: 'text', text: 'Hello! ' },
        // the signed text part: its signature rides just before it, and its text does not join the text before
        { type: 'reasoning', text: '', signature: 'EtoFCtcFAXLI2nz1Q', signatureProtocol: 'gemini' },
        { type: 'text', text: 'How can I help today?' },
      ],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 2051, outputTokens: 69, cacheReadTokens: 2000, reasoningTokens: 60 },
    });
  });

  it('a reply in the real shape: the thoughtSignature on a plain text part is kept on an empty reasoning part before it', () => {
    const body = JSON.parse(fixture('response-signed-text.json'));
    const [part] = body.candidates[0].content.parts;
    assert.deepEqual(parseResponse(body, request()).content, [
      { type: 'reasoning', text: '', signature: part.thoughtSignature, signatureProtocol: 'gemini' },
      { type: 'text', text: part.text },
    ]);
  });

  it('unsigned text parts join; a signed one starts a new text part; an empty signed one stands alone', () => {
    const body = {
      candidates: [
        {
          content: {
            parts: [
              { text: 'a' },
              { text: 'b' },
              { text: 'c', thoughtSignature: 'sig-c' },
              { text: 'd' },
              { text: '', thoughtSignature: 'sig-end' },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    };
    assert.deepEqual(parseResponse(body, request()).content, [
      { type: 'text', text: 'ab' },
      { type: 'reasoning', text: '', signature: 'sig-c', signatureProtocol: 'gemini' },
      { type: 'text', text: 'cd' },
      { type: 'reasoning', text: '', signature: 'sig-end', signatureProtocol: 'gemini' },
    ]);
  });

  it('function call: generated id, arguments as JSON text, thoughtSignature kept, STOP → tool-calls', () => {
    assert.deepEqual(parse('response-tool-call.json'), {
      id: '3Q3mZcH6MfyK1e8P6Pu3sAk',
      model: 'gemini-3-pro-preview',
      content: [
        {
          type: 'tool-call',
          id: 'call_1',
          name: 'lookup_order',
          arguments: '{"order_id":"A-1042","include":["items","status"]}',
          signature: 'EskgCsYgAXLI2nyQ4m',
        },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 88, outputTokens: 324, reasoningTokens: 302 },
    });
  });

  it('blocked prompt (promptFeedback.blockReason, no candidates) → content-filter', () => {
    assert.deepEqual(parse('response-blocked.json'), {
      id: '8g3mZcDtA8qz1e8PjpKQ4Qw',
      model: 'gemini-2.5-flash',
      content: [],
      finishReason: 'content-filter',
      rawFinishReason: 'PROHIBITED_CONTENT',
      usage: { inputTokens: 17, outputTokens: 0 },
    });
  });

  it('a function call id sent by Gemini is kept; Vertex createTime becomes created', () => {
    const body = {
      candidates: [
        { content: { parts: [{ functionCall: { id: 'fc-7', name: 'ping' } }] }, finishReason: 'STOP' },
      ],
      createTime: '2026-01-02T03:04:05.678Z',
    };
    assert.deepEqual(parseResponse(body, request({ model: 'asked-model' })), {
      id: '',
      model: 'asked-model',
      content: [{ type: 'tool-call', id: 'fc-7', name: 'ping', arguments: '{}' }],
      finishReason: 'tool-calls',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 0, outputTokens: 0 },
      created: Math.floor(Date.parse('2026-01-02T03:04:05.678Z') / 1000),
    });
  });

  it('generated ids look like call_<hex>', () => {
    const body = { candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: {} } }] } }] };
    const response = parseResponse(body, request());
    const call = response.content[0];
    assert.match(call.type === 'tool-call' ? call.id : '', /^call_[0-9a-f]{24}$/);
  });

  it('a body that is not an object is an upstream error', () => {
    assert.throws(
      () => parseResponse('nope', request()),
      (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error',
    );
  });
});

describe('gemini mapFinishReason', () => {
  it('maps every documented reason', () => {
    const cases: Array<[string | undefined, boolean, string]> = [
      ['STOP', false, 'stop'],
      ['STOP', true, 'tool-calls'],
      ['MAX_TOKENS', false, 'length'],
      ['SAFETY', false, 'content-filter'],
      ['RECITATION', false, 'content-filter'],
      ['BLOCKLIST', false, 'content-filter'],
      ['PROHIBITED_CONTENT', false, 'content-filter'],
      ['SPII', false, 'content-filter'],
      ['IMAGE_SAFETY', false, 'content-filter'],
      ['MALFORMED_FUNCTION_CALL', true, 'other'],
      ['OTHER', false, 'other'],
      ['LANGUAGE', false, 'other'],
      [undefined, false, 'other'],
    ];
    for (const [raw, calls, expected] of cases)
      assert.equal(mapFinishReason(raw, calls), expected, String(raw));
  });
});
