// Signatures another protocol issued leave in an envelope and come back to their issuer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { unwrapToken, withoutForeignThinking, wrapCallSignature, wrapToken } from './foreign-signature.ts';
import codec from './index.ts';

const context: EncodeContext = { requestId: 'req_sig', requestedModel: 'm' };

const response: CanonicalResponse = {
  id: 'r1',
  model: 'm',
  content: [
    {
      type: 'reasoning',
      text: 'Anthropic thought.',
      signature: 'sig-A',
      signatureProtocol: 'anthropic-messages',
    },
    {
      type: 'reasoning',
      text: 'Bedrock thought.',
      signature: 'sig-B',
      signatureProtocol: 'bedrock-converse',
    },
    { type: 'reasoning', text: '', redactedData: 'opaque', signatureProtocol: 'bedrock-converse' },
    { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}', signature: 'sig-G' },
  ],
  finishReason: 'tool-calls',
  usage: { inputTokens: 1, outputTokens: 1 },
};

describe('foreign signatures in Anthropic thinking blocks', () => {
  it('an envelope holds the issuer, the token and the call it belongs to', () => {
    assert.deepEqual(unwrapToken(wrapToken({ protocol: 'gemini', signature: 's', redactedData: 'r' })), {
      protocol: 'gemini',
      signature: 's',
      redactedData: 'r',
    });
    assert.deepEqual(unwrapToken(wrapCallSignature('call_9', 'sig')), {
      protocol: 'gemini',
      signature: 'sig',
      callId: 'call_9',
    });
    assert.equal(unwrapToken('EqQBCkYIBxgC'), undefined);
    assert.equal(unwrapToken('swy1.not-json'), undefined);
  });

  it('encodeResponse keeps Anthropic tokens raw, wraps the others, and puts a call signature before its call', () => {
    const message = codec.encodeResponse(response, context) as { content: unknown[] };
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'Anthropic thought.', signature: 'sig-A' },
      {
        type: 'thinking',
        thinking: 'Bedrock thought.',
        signature: wrapToken({ protocol: 'bedrock-converse', signature: 'sig-B' }),
      },
      {
        type: 'redacted_thinking',
        data: wrapToken({ protocol: 'bedrock-converse', redactedData: 'opaque' }),
      },
      { type: 'thinking', thinking: '', signature: wrapCallSignature('call_1', 'sig-G') },
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
    ]);
  });

  it('the blocks sent back decode to the original parts, each with its issuer', () => {
    const message = codec.encodeResponse(response, context) as { content: unknown[] };
    const request = codec.decodeRequest(
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: message.content },
        ],
      },
      { requestId: 'req_sig', headers: {}, path: '/v1/messages', query: new URLSearchParams() },
    );
    assert.deepEqual(request.messages[1], { role: 'assistant', content: response.content });
  });

  it('encodeStream wraps a foreign signature delta and streams a call signature block before the call', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { type: 'response-start', id: 'r1', model: 'm' };
      yield { type: 'reasoning-delta', index: 0, delta: 'Hmm.' };
      yield {
        type: 'reasoning-signature',
        index: 0,
        signature: 'sig-B',
        signatureProtocol: 'bedrock-converse',
      };
      yield { type: 'block-end', index: 0 };
      yield { type: 'tool-call-start', index: 1, id: 'call_1', name: 'f', signature: 'sig-G' };
      yield { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' };
      yield { type: 'block-end', index: 1 };
      yield { type: 'response-end', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 1 } };
    }
    const frames: unknown[] = [];
    for await (const frame of codec.encodeStream(events(), context)) {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      frames.push(JSON.parse(data!.slice(6)));
    }
    const blocks = frames.filter((frame) =>
      String((frame as { type: string }).type).startsWith('content_block'),
    );
    assert.deepEqual(blocks, [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: {
          type: 'signature_delta',
          signature: wrapToken({ protocol: 'bedrock-converse', signature: 'sig-B' }),
        },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'signature_delta', signature: wrapCallSignature('call_1', 'sig-G') },
      },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
      },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 2 },
    ]);
  });

  it('a body going to Anthropic as it is leaves out thinking blocks another protocol signed, without touching the client objects', () => {
    const assistant = {
      role: 'assistant',
      content: [
        {
          type: 'thinking',
          thinking: 'Gemini thought.',
          signature: wrapToken({ protocol: 'gemini', signature: 'g' }),
        },
        { type: 'redacted_thinking', data: wrapToken({ protocol: 'bedrock-converse', redactedData: 'r' }) },
        { type: 'thinking', thinking: '', signature: wrapCallSignature('call_1', 'sig') },
        { type: 'thinking', thinking: 'Claude thought.', signature: 'EqQB' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
      ],
    };
    const user = { role: 'user', content: 'q' };
    const body: Record<string, unknown> = { model: 'claude', messages: [user, assistant] };
    withoutForeignThinking(body);
    assert.deepEqual(body.messages, [
      user,
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Claude thought.', signature: 'EqQB' },
          { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
        ],
      },
    ]);
    assert.equal(assistant.content.length, 5);
    const untouched = { messages: [user] };
    withoutForeignThinking(untouched);
    assert.equal(untouched.messages[0], user);
  });
});
