import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { parseAnthropicResponse } from './parse-response.ts';
import { fixtureJson, testRequest, user } from './test-helpers.ts';

describe('parseAnthropicResponse', () => {
  it('parses thinking, redacted thinking, text and tool use, normalising cached usage', () => {
    const response = parseAnthropicResponse(
      fixtureJson('message-thinking-tool-use.json'),
      testRequest([user('Oslo?')]),
    );
    assert.deepEqual(response, {
      id: 'msg_01NonStreamThinkTool7Y6',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        {
          type: 'reasoning',
          text: 'I need the weather in Oslo; call the tool.',
          signature: 'EqQBCkgIARABGAIiQGFub3RoZXItc2lnbmF0dXJlLWZvci10ZXN0cw==',
          signatureProtocol: 'anthropic-messages',
        },
        {
          type: 'reasoning',
          text: '',
          redactedData: 'EmwKAhgBEgyRedactedPayload==',
          signatureProtocol: 'anthropic-messages',
        },
        { type: 'text', text: 'Checking the forecast.' },
        {
          type: 'tool-call',
          id: 'toolu_01OsloWeatherCallXyZ123',
          name: 'get_weather',
          arguments: '{"city":"Oslo","unit":"celsius"}',
        },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 4_710, outputTokens: 96, cacheReadTokens: 3_000, cacheWriteTokens: 1_500 },
    });
  });

  it('turns the forced JSON tool back into text that finished with stop', () => {
    const request = testRequest([user('Lyon')], {
      responseFormat: { type: 'json-schema', name: 'city_report', schema: { type: 'object' } },
    });
    assert.deepEqual(parseAnthropicResponse(fixtureJson('message-json-tool.json'), request), {
      id: 'msg_01NonStreamJsonToolR4e3',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: '{"city":"Lyon","population":522000}' }],
      finishReason: 'stop',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 640, outputTokens: 31, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it('keeps the same tool as a tool call when JSON output was not asked for', () => {
    const response = parseAnthropicResponse(
      fixtureJson('message-json-tool.json'),
      testRequest([user('Lyon')]),
    );
    assert.deepEqual(response.content, [
      {
        type: 'tool-call',
        id: 'toolu_01JsonAnswerBlockQwErTy',
        name: 'city_report',
        arguments: '{"city":"Lyon","population":522000}',
      },
    ]);
    assert.equal(response.finishReason, 'tool-calls');
  });

  const reasons = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
  ] as const;
  for (const [raw, mapped] of reasons) {
    it(`maps stop_reason ${raw} to ${mapped}`, () => {
      const response = parseAnthropicResponse(
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-3-5-haiku-20241022',
          content: [{ type: 'text', text: 'ok' }],
          stop_reason: raw,
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 1 },
        },
        testRequest([user('x')]),
      );
      assert.equal(response.finishReason, mapped);
      assert.equal(response.rawFinishReason, raw);
      assert.deepEqual(response.usage, { inputTokens: 3, outputTokens: 1 });
    });
  }

  it('skips server tool blocks and reads thinking token details', () => {
    const response = parseAnthropicResponse(
      {
        id: 'msg_2',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
          { type: 'text', text: 'Found it.' },
        ],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 10,
          output_tokens: 50,
          cache_read_input_tokens: null,
          output_tokens_details: { thinking_tokens: 20 },
        },
      },
      testRequest([user('x')]),
    );
    assert.deepEqual(response.content, [{ type: 'text', text: 'Found it.' }]);
    assert.deepEqual(response.usage, { inputTokens: 10, outputTokens: 50, reasoningTokens: 20 });
  });

  it('throws a mapped error for an error body and for a body that is not a message', () => {
    assert.throws(
      () =>
        parseAnthropicResponse(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          testRequest([user('x')]),
        ),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'upstream_overloaded' && error.status === 529,
    );
    assert.throws(
      () => parseAnthropicResponse('nope', testRequest([user('x')])),
      (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error',
    );
  });
});
