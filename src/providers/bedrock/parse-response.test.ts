import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CanonicalRequest, CanonicalResponse } from '../../core/canonical.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { parseResponse } from './parse-response.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function request(partial: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'bedrock/claude', messages: [], stream: false, extra: {}, ...partial };
}

/** Ids are made up per response; check their shape, then compare the rest exactly. */
function parse(body: unknown, req = request()): Omit<CanonicalResponse, 'id'> {
  const { id, ...rest } = parseResponse(body, req);
  assert.match(id, /^bedrock-[0-9a-f-]{36}$/);
  return rest;
}

describe('parseResponse', () => {
  it('reads text and counts cache tokens into the input', () => {
    assert.deepEqual(parse(fixture('converse-response-text.json')), {
      model: 'bedrock/claude',
      content: [{ type: 'text', text: 'Mount Everest is 8,849 metres tall.' }],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 19 + 512 + 64, outputTokens: 12, cacheReadTokens: 512, cacheWriteTokens: 64 },
    });
  });

  it('reads tool calls with their input as JSON text', () => {
    assert.deepEqual(parse(fixture('converse-response-tool-use.json')), {
      model: 'bedrock/claude',
      content: [
        { type: 'text', text: "I'll look that up." },
        {
          type: 'tool-call',
          id: 'tooluse_8hJk2LmN4pQr6StU8vWx0y',
          name: 'search_flights',
          arguments: '{"from":"LIS","to":"NRT","passengers":2}',
        },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 230, outputTokens: 58 },
    });
  });

  it('keeps reasoning signatures and redacted content for the round trip', () => {
    assert.deepEqual(parse(fixture('converse-response-reasoning.json')), {
      model: 'bedrock/claude',
      content: [
        {
          type: 'reasoning',
          text: 'A prime has exactly two divisors; 91 = 7 × 13.',
          signature: 'UmVzcG9uc2VTaWduYXR1cmVGb3JUZXN0cw==',
          signatureProtocol: 'bedrock-converse',
        },
        {
          type: 'reasoning',
          text: '',
          redactedData: 'cmVkYWN0ZWQtYnl0ZXM=',
          signatureProtocol: 'bedrock-converse',
        },
        { type: 'text', text: 'No, 91 is not prime: it is 7 × 13.' },
      ],
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      usage: { inputTokens: 31, outputTokens: 204 },
    });
  });

  it('turns the forced JSON tool back into text with a stop finish', () => {
    const body = {
      output: {
        message: {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'tooluse_json1', name: 'json', input: { answer: 42 } } }],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 50, outputTokens: 9, totalTokens: 59 },
    };
    const json = request({ responseFormat: { type: 'json-schema', name: 'r', schema: { type: 'object' } } });
    assert.deepEqual(parse(body, json), {
      model: 'bedrock/claude',
      content: [{ type: 'text', text: '{"answer":42}' }],
      finishReason: 'stop',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 50, outputTokens: 9 },
    });
    // without a JSON response format, a tool named `json` is an ordinary tool call
    assert.deepEqual(parse(body).content, [
      { type: 'tool-call', id: 'tooluse_json1', name: 'json', arguments: '{"answer":42}' },
    ]);
  });

  it('keeps tool-calls when the model called a client tool instead of the JSON tool', () => {
    const body = {
      output: {
        message: {
          content: [{ toolUse: { toolUseId: 'tooluse_w', name: 'get_weather', input: { city: 'Oslo' } } }],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
    const json = request({ tools: [{ name: 'get_weather' }], responseFormat: { type: 'json' } });
    assert.equal(parseResponse(body, json).finishReason, 'tool-calls');
  });

  it('rejects a reply without an output message', () => {
    assert.throws(() => parseResponse({ message: 'nope' }, request()), { code: 'upstream_error' });
  });
});

describe('mapFinishReason', () => {
  it('maps every Bedrock stop reason', () => {
    assert.deepEqual(
      [
        'end_turn',
        'stop_sequence',
        'max_tokens',
        'model_context_window_exceeded',
        'tool_use',
        'guardrail_intervened',
        'content_filtered',
        'something_new',
      ].map(mapFinishReason),
      ['stop', 'stop', 'length', 'length', 'tool-calls', 'content-filter', 'content-filter', 'other'],
    );
    assert.equal(mapFinishReason(undefined), 'other');
    assert.equal(mapFinishReason('constructor'), 'other');
  });
});
