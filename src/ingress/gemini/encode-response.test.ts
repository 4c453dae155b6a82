import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { wrapToken } from '../signature-envelope.ts';
import { encodeGenerateContentResponse } from './encode-response.ts';

const context = { requestId: 'req_1', requestedModel: 'gemini-2.5-flash' };

test('text reply with thinking usage: candidates exclude thoughts, total includes them', () => {
  const response: CanonicalResponse = {
    id: 'resp_1',
    model: 'gemini-3-pro-preview',
    content: [
      { type: 'reasoning', text: '', signature: 'sig-a', signatureProtocol: 'gemini' },
      { type: 'text', text: 'There are 3.' },
    ],
    finishReason: 'stop',
    rawFinishReason: 'STOP',
    usage: { inputTokens: 9, outputTokens: 272, reasoningTokens: 244 },
  };
  assert.deepEqual(encodeGenerateContentResponse(response, context), {
    candidates: [
      {
        content: { parts: [{ text: 'There are 3.', thoughtSignature: 'sig-a' }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 9,
      candidatesTokenCount: 28,
      totalTokenCount: 281,
      thoughtsTokenCount: 244,
    },
    modelVersion: 'gemini-3-pro-preview',
    responseId: 'resp_1',
  });
});

test('thoughts, tool calls (args parsed) and cached tokens', () => {
  const response: CanonicalResponse = {
    id: 'msg_01',
    model: 'claude-sonnet-4-6',
    content: [
      {
        type: 'reasoning',
        text: 'The user wants weather.',
        signature: 'anthropic-sig',
        signatureProtocol: 'anthropic-messages',
      },
      { type: 'reasoning', text: 'Use the tool.', signature: 'g-sig', signatureProtocol: 'gemini' },
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool-call',
        id: 'toolu_1',
        name: 'weather',
        arguments: '{"location":"San Francisco"}',
        signature: 'fc-sig',
      },
      { type: 'tool-call', id: 'toolu_2', name: 'time', arguments: '' },
    ],
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_use',
    usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100 },
  };
  assert.deepEqual(encodeGenerateContentResponse(response, context), {
    candidates: [
      {
        content: {
          parts: [
            {
              text: 'The user wants weather.',
              thought: true,
              // another protocol's signature rides in the envelope that brings it back to its issuer
              thoughtSignature: wrapToken({ protocol: 'anthropic-messages', signature: 'anthropic-sig' }),
            },
            { text: 'Use the tool.', thought: true, thoughtSignature: 'g-sig' },
            { text: 'Let me check.' },
            {
              functionCall: { name: 'weather', args: { location: 'San Francisco' } },
              thoughtSignature: 'fc-sig',
            },
            { functionCall: { name: 'time', args: {} } },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 120,
      candidatesTokenCount: 40,
      totalTokenCount: 160,
      cachedContentTokenCount: 100,
    },
    modelVersion: 'claude-sonnet-4-6',
    responseId: 'msg_01',
  });
});

test('finish reasons: length, content filter, other; a Gemini raw reason of the same meaning is kept', () => {
  const finish = (finishReason: CanonicalResponse['finishReason'], rawFinishReason?: string) =>
    encodeGenerateContentResponse(
      {
        id: 'r',
        model: 'm',
        content: [],
        finishReason,
        rawFinishReason,
        usage: { inputTokens: 1, outputTokens: 0 },
      },
      context,
    ).candidates[0].finishReason;
  assert.equal(finish('length', 'max_tokens'), 'MAX_TOKENS');
  assert.equal(finish('content-filter', 'refusal'), 'SAFETY');
  assert.equal(finish('content-filter', 'RECITATION'), 'RECITATION');
  assert.equal(finish('other', 'MALFORMED_FUNCTION_CALL'), 'MALFORMED_FUNCTION_CALL');
  assert.equal(finish('error'), 'OTHER');
  assert.equal(finish('stop', 'MAX_TOKENS'), 'STOP');
});

test('a trailing signature-only reasoning part becomes an empty text part, as Gemini sends it', () => {
  const encoded = encodeGenerateContentResponse(
    {
      id: '',
      model: '',
      content: [
        { type: 'text', text: 'Hi' },
        { type: 'reasoning', text: '', signature: 'tail', signatureProtocol: 'gemini' },
      ],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
    },
    context,
  );
  assert.deepEqual(encoded.candidates[0].content.parts, [
    { text: 'Hi' },
    { text: '', thoughtSignature: 'tail' },
  ]);
  assert.equal(encoded.modelVersion, 'gemini-2.5-flash');
  assert.equal(encoded.responseId, 'req_1');
});
