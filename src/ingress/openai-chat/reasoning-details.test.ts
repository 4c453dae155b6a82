// Opaque reasoning tokens through Chat Completions: out in OpenRouter-style `reasoning_details` (JSON
// replies and streams), back in from the assistant message a client returns, each naming its issuer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse, Message } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { wrapToken } from '../signature-envelope.ts';
import { decodeRequest } from './decode-request.ts';
import openAIChat from './index.ts';

const context: EncodeContext = { requestId: 'req_1', requestedModel: 'm' };
type Content = CanonicalResponse['content'];

function reply(content: Content): CanonicalResponse {
  return {
    id: 'r1',
    model: 'm',
    content,
    finishReason: 'tool-calls',
    usage: { inputTokens: 1, outputTokens: 1 },
  };
}

function messageOf(content: Content): Record<string, unknown> {
  const body = openAIChat.encodeResponse(reply(content), context) as {
    choices: Array<{ message: Record<string, unknown> }>;
  };
  return body.choices[0].message;
}

/** The assistant message as the gateway decodes it when the client sends it back. */
function sentBack(message: Record<string, unknown>): Message {
  const request = decodeRequest({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }, message],
  });
  return request.messages[1];
}

const anthropicContent: Content = [
  {
    type: 'reasoning',
    text: 'Need the weather.',
    signature: 'EqQBsig-a',
    signatureProtocol: 'anthropic-messages',
  },
  { type: 'reasoning', text: '', redactedData: 'EmwKAhred', signatureProtocol: 'anthropic-messages' },
  { type: 'text', text: 'Checking.' },
  { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
];

const geminiContent: Content = [
  { type: 'reasoning', text: 'Plan a lookup.', signature: 'Z3Rob3VnaHQ=', signatureProtocol: 'gemini' },
  { type: 'reasoning', text: '', signature: 'Z3RleHQ=', signatureProtocol: 'gemini' },
  { type: 'text', text: 'Calling.' },
  {
    type: 'tool-call',
    id: 'call_1',
    name: 'get_weather',
    arguments: '{"city":"Paris"}',
    signature: 'Z2NhbGw=',
  },
  { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{}' },
];

describe('reasoning_details in chat replies', () => {
  it('Anthropic thinking and redacted thinking: text with signature, and encrypted data, named anthropic-claude-v1', () => {
    const message = messageOf(anthropicContent);
    assert.equal(message.reasoning_content, 'Need the weather.');
    assert.deepEqual(message.reasoning_details, [
      {
        type: 'reasoning.text',
        text: 'Need the weather.',
        signature: 'EqQBsig-a',
        format: 'anthropic-claude-v1',
        index: 0,
      },
      { type: 'reasoning.encrypted', data: 'EmwKAhred', format: 'anthropic-claude-v1', index: 1 },
    ]);
  });

  it("Gemini: a signed thought, a text part's signature, and a call's signature bound to the call id", () => {
    const message = messageOf(geminiContent);
    assert.deepEqual(message.reasoning_details, [
      {
        type: 'reasoning.text',
        text: 'Plan a lookup.',
        signature: 'Z3Rob3VnaHQ=',
        format: 'google-gemini-v1',
        index: 0,
      },
      { type: 'reasoning.encrypted', data: 'Z3RleHQ=', format: 'google-gemini-v1', index: 1 },
      { type: 'reasoning.encrypted', data: 'Z2NhbGw=', id: 'call_1', format: 'google-gemini-v1', index: 2 },
    ]);
    assert.deepEqual(
      (message.tool_calls as Array<{ id: string }>).map((call) => call.id),
      ['call_1', 'call_2'],
      'tool call ids are left as the provider made them',
    );
  });

  it('Bedrock has no OpenRouter format: format unknown, the token in the shared envelope naming Bedrock', () => {
    const message = messageOf([
      { type: 'reasoning', text: 'Hmm.', signature: 'b-sig', signatureProtocol: 'bedrock-converse' },
      { type: 'reasoning', text: '', redactedData: 'b-red', signatureProtocol: 'bedrock-converse' },
    ]);
    assert.deepEqual(message.reasoning_details, [
      {
        type: 'reasoning.text',
        text: 'Hmm.',
        signature: wrapToken({ protocol: 'bedrock-converse', signature: 'b-sig' }),
        format: 'unknown',
        index: 0,
      },
      {
        type: 'reasoning.encrypted',
        data: wrapToken({ protocol: 'bedrock-converse', redactedData: 'b-red' }),
        format: 'unknown',
        index: 1,
      },
    ]);
  });

  it('reasoning without a token is listed as text; a reply without reasoning has no reasoning_details', () => {
    assert.deepEqual(messageOf([{ type: 'reasoning', text: 'plain' }]).reasoning_details, [
      { type: 'reasoning.text', text: 'plain', format: 'unknown', index: 0 },
    ]);
    const plain = messageOf([{ type: 'text', text: 'hello' }]);
    assert.equal('reasoning_details' in plain, false);
    assert.equal('reasoning_content' in plain, false);
  });

  it('streamed: reasoning text streams as it comes; the details follow whole in one delta before the finish', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { type: 'response-start', id: 'r1', model: 'm' };
      yield { type: 'reasoning-delta', index: 0, delta: 'Need the ' };
      yield { type: 'reasoning-delta', index: 0, delta: 'weather.' };
      yield {
        type: 'reasoning-signature',
        index: 0,
        signature: 'EqQBsig-a',
        signatureProtocol: 'anthropic-messages',
      };
      yield { type: 'block-end', index: 0 };
      yield {
        type: 'reasoning-signature',
        index: 1,
        signature: '',
        redactedData: 'EmwKAhred',
        signatureProtocol: 'anthropic-messages',
      };
      yield { type: 'block-end', index: 1 };
      yield { type: 'tool-call-start', index: 2, id: 'call_1', name: 'f', signature: 'Z2NhbGw=' };
      yield { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' };
      yield { type: 'block-end', index: 2 };
      yield { type: 'response-end', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 1 } };
    }
    const deltas: Array<{ delta: Record<string, unknown>; finish: unknown }> = [];
    for await (const frame of openAIChat.encodeStream(events(), context)) {
      const data = frame.slice('data: '.length).trim();
      if (data === '[DONE]') continue;
      const choice = JSON.parse(data).choices[0];
      deltas.push({ delta: choice.delta, finish: choice.finish_reason });
    }
    const reasoningText = deltas.flatMap(({ delta }) =>
      delta.reasoning_content ? [delta.reasoning_content] : [],
    );
    assert.deepEqual(reasoningText, ['Need the ', 'weather.']);
    const withDetails = deltas.filter(({ delta }) => delta.reasoning_details);
    assert.equal(withDetails.length, 1);
    assert.deepEqual(withDetails[0].delta.reasoning_details, [
      {
        type: 'reasoning.text',
        text: 'Need the weather.',
        signature: 'EqQBsig-a',
        format: 'anthropic-claude-v1',
        index: 0,
      },
      { type: 'reasoning.encrypted', data: 'EmwKAhred', format: 'anthropic-claude-v1', index: 1 },
      { type: 'reasoning.encrypted', data: 'Z2NhbGw=', id: 'call_1', format: 'google-gemini-v1', index: 2 },
    ]);
    assert.equal(deltas.indexOf(withDetails[0]), deltas.length - 2, 'just before the finish chunk');
    assert.equal(deltas.at(-1)?.finish, 'tool_calls');
  });
});

describe('reasoning_details sent back', () => {
  const expectedBack = (content: Content) =>
    content.filter((part) => part.type !== 'text' || part.text !== '');

  it('Anthropic tokens come back as Anthropic-signed reasoning, before the text and the call', () => {
    assert.deepEqual(sentBack(messageOf(anthropicContent)).content, expectedBack(anthropicContent));
  });

  it('Gemini tokens come back on the thought, as a text-part signature, and on the call they belong to', () => {
    assert.deepEqual(sentBack(messageOf(geminiContent)).content, expectedBack(geminiContent));
  });

  it('Bedrock tokens come back out of the envelope, named Bedrock', () => {
    const bedrock: Content = [
      { type: 'reasoning', text: 'Hmm.', signature: 'b-sig', signatureProtocol: 'bedrock-converse' },
      { type: 'reasoning', text: '', redactedData: 'b-red', signatureProtocol: 'bedrock-converse' },
      { type: 'text', text: 'Done.' },
    ];
    assert.deepEqual(sentBack(messageOf(bedrock)).content, bedrock);
  });

  it('the details, not reasoning_content, are the reasoning when both are sent', () => {
    const back = sentBack({
      role: 'assistant',
      content: 'ok',
      reasoning_content: 'truncated by a client',
      reasoning_details: [
        { type: 'reasoning.text', text: 'Full.', signature: 's', format: 'anthropic-claude-v1' },
      ],
    });
    assert.deepEqual(back.content, [
      { type: 'reasoning', text: 'Full.', signature: 's', signatureProtocol: 'anthropic-messages' },
      { type: 'text', text: 'ok' },
    ]);
    const legacy = sentBack({
      role: 'assistant',
      content: 'ok',
      reasoning_content: 'R',
      reasoning_details: [],
    });
    assert.deepEqual(legacy.content, [
      { type: 'reasoning', text: 'R' },
      { type: 'text', text: 'ok' },
    ]);
  });

  it("a detail without format is Anthropic's (OpenRouter's default); an unknown format reaches no provider", () => {
    const back = sentBack({
      role: 'assistant',
      content: null,
      reasoning_details: [
        { type: 'reasoning.text', text: 'A', signature: 'sa' },
        { type: 'reasoning.encrypted', data: 'opaque', format: 'xai-responses-v1' },
        { type: 'reasoning.summary', summary: 'A summary.', format: 'openai-responses-v1' },
        { type: 'reasoning.server_tool_call', format: 'unknown' },
      ],
    });
    assert.deepEqual(back.content, [
      { type: 'reasoning', text: 'A', signature: 'sa', signatureProtocol: 'anthropic-messages' },
      { type: 'reasoning', text: '', redactedData: 'opaque', signatureProtocol: 'xai-responses-v1' },
      { type: 'reasoning', text: 'A summary.' },
    ]);
  });

  it('a token in the shared envelope names its issuer whatever the format says; a call signature needs its call', () => {
    const back = sentBack({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      reasoning_details: [
        {
          type: 'reasoning.text',
          text: 'T',
          signature: wrapToken({ protocol: 'bedrock-converse', signature: 'b' }),
          format: 'anthropic-claude-v1',
        },
        {
          type: 'reasoning.encrypted',
          data: wrapToken({ protocol: 'gemini', signature: 'c1', callId: 'call_1' }),
        },
        { type: 'reasoning.encrypted', data: 'orphan', id: 'call_gone', format: 'google-gemini-v1' },
      ],
    });
    assert.deepEqual(back.content, [
      { type: 'reasoning', text: 'T', signature: 'b', signatureProtocol: 'bedrock-converse' },
      { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}', signature: 'c1' },
    ]);
  });

  it('reasoning_details that is not an array of objects is a 400', () => {
    for (const details of ['x', [1]]) {
      assert.throws(
        () => sentBack({ role: 'assistant', content: 'ok', reasoning_details: details }),
        (error: { code?: string; status?: number }) =>
          error.code === 'invalid_request' && error.status === 400,
      );
    }
  });
});
