import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import codec from './index.ts';

const context: EncodeContext = { requestId: 'req_42', requestedModel: 'claude-sonnet-4-5' };

const base: CanonicalResponse = {
  id: 'msg_01XYZ',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hi' }],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 2 },
};

describe('anthropic-messages encodeResponse', () => {
  it('encodes thinking, text and tool use with usage excluding cache tokens', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-abc',
      model: 'gpt-4o-2024-08-06',
      content: [
        {
          type: 'reasoning',
          text: 'Need the weather.',
          signature: 'sig-abc',
          signatureProtocol: 'anthropic-messages',
        },
        { type: 'reasoning', text: '', redactedData: 'redacted-bytes' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
        { type: 'tool-call', id: 'call_2', name: 'now', arguments: '' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: {
        inputTokens: 1200,
        outputTokens: 80,
        cacheReadTokens: 1000,
        cacheWriteTokens: 50,
        reasoningTokens: 30,
      },
    };
    assert.deepEqual(codec.encodeResponse(response, context), {
      id: 'msg_chatcmpl-abc',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-2024-08-06',
      content: [
        { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-abc' },
        { type: 'redacted_thinking', data: 'redacted-bytes' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'now', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 150,
        cache_creation_input_tokens: 50,
        cache_read_input_tokens: 1000,
        output_tokens: 80,
      },
    });
  });

  it('keeps an msg_ id, and falls back to the request id and requested model', () => {
    assert.equal((codec.encodeResponse(base, context) as { id: string }).id, 'msg_01XYZ');
    const anonymous = codec.encodeResponse({ ...base, id: '', model: '' }, context) as {
      id: string;
      model: string;
    };
    assert.equal(anonymous.id, 'msg_req_42');
    assert.equal(anonymous.model, 'claude-sonnet-4-5');
  });

  it('maps finish reasons, refining with the raw reason', () => {
    const stop = (finishReason: CanonicalResponse['finishReason'], rawFinishReason?: string) =>
      (codec.encodeResponse({ ...base, finishReason, rawFinishReason }, context) as { stop_reason: string })
        .stop_reason;
    assert.equal(stop('stop'), 'end_turn');
    assert.equal(stop('stop', 'stop'), 'end_turn');
    assert.equal(stop('stop', 'stop_sequence'), 'stop_sequence');
    assert.equal(stop('stop', 'pause_turn'), 'pause_turn');
    assert.equal(stop('length', 'MAX_TOKENS'), 'max_tokens');
    assert.equal(stop('length', 'model_context_window_exceeded'), 'model_context_window_exceeded');
    assert.equal(stop('tool-calls'), 'tool_use');
    assert.equal(stop('content-filter', 'SAFETY'), 'refusal');
    assert.equal(stop('other', 'refusal'), 'refusal');
    assert.equal(stop('other', 'weird'), 'end_turn');
    assert.equal(stop('error'), 'end_turn');
  });

  it('never fails on tool arguments that are not a JSON object', () => {
    const input = (args: string) =>
      (
        codec.encodeResponse(
          { ...base, content: [{ type: 'tool-call', id: 't', name: 'f', arguments: args }] },
          context,
        ) as { content: Array<{ input: unknown }> }
      ).content[0].input;
    assert.deepEqual(input('{"a":[1,2]}'), { a: [1, 2] });
    assert.deepEqual(input('  '), {});
    assert.deepEqual(input('{"a":'), {});
    assert.deepEqual(input('[1]'), {});
    assert.deepEqual(input('null'), {});
  });

  it('emits an empty signature for reasoning that has none', () => {
    const out = codec.encodeResponse({ ...base, content: [{ type: 'reasoning', text: 'hmm' }] }, context) as {
      content: unknown[];
    };
    assert.deepEqual(out.content, [{ type: 'thinking', thinking: 'hmm', signature: '' }]);
  });
});
