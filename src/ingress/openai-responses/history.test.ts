import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalResponse } from '../../core/canonical.ts';
import {
  decodeRequest,
  encodeResponse,
  inputToMessages,
  prependHistory,
  responseToMessages,
} from './index.ts';

describe('previous_response_id support', () => {
  it('turns a stored Response back into one assistant message', () => {
    const stored: CanonicalResponse = {
      id: 'resp_1',
      model: 'gpt-5.1',
      created: 1,
      content: [
        { type: 'reasoning', text: 'Think', signature: 'gAAA', signatureProtocol: 'openai-responses' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'call_9', name: 'calc', arguments: '{"a":1}' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
    const response = encodeResponse(stored, { requestId: 'r', requestedModel: 'gpt-5.1' }) as Record<
      string,
      unknown
    >;
    (response.output as unknown[]).push({ id: 'ws_1', type: 'web_search_call', status: 'completed' });
    assert.deepEqual(responseToMessages(response), [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Think', signature: 'gAAA', signatureProtocol: 'openai-responses' },
          { type: 'text', text: 'Calling.' },
          { type: 'tool-call', id: 'call_9', name: 'calc', arguments: '{"a":1}' },
        ],
      },
    ]);
  });

  it('prepends history after the instructions and before the new input', () => {
    const request = decodeRequest({
      model: 'gpt-5.1',
      instructions: 'Be brief.',
      previous_response_id: 'resp_1',
      input: [{ type: 'function_call_output', call_id: 'call_9', output: '2' }],
    });
    const history = [
      ...inputToMessages('What is 1+1?'),
      {
        role: 'assistant' as const,
        content: [{ type: 'tool-call' as const, id: 'call_9', name: 'calc', arguments: '{}' }],
      },
    ];
    const merged = prependHistory(request, history);
    assert.deepEqual(merged.messages, [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'What is 1+1?' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_9', name: 'calc', arguments: '{}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_9',
            toolName: 'calc',
            content: [{ type: 'text', text: '2' }],
          },
        ],
      },
    ]);
    assert.equal(request.messages.length, 2, 'the original request is left untouched');
    assert.deepEqual(request.messages[1].content[0], {
      type: 'tool-result',
      toolCallId: 'call_9',
      content: [{ type: 'text', text: '2' }],
    });
    assert.deepEqual(merged.extra, request.extra);
  });
});
