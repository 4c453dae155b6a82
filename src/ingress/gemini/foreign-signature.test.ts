// Signatures another protocol issued leave in the shared envelope and come back to their issuer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamEvent } from '../../core/stream-events.ts';
import { wrapToken } from '../signature-envelope.ts';
import gemini from './index.ts';

const info = {
  requestId: 'req_1',
  headers: {},
  path: '/v1beta/models/m:generateContent',
  query: new URLSearchParams(),
};
const anthropicToken = wrapToken({ protocol: 'anthropic-messages', signature: 'EqQB-sig' });

test('a streamed foreign signature goes out wrapped on its own part; redacted data too', async () => {
  async function* events(): AsyncGenerator<StreamEvent> {
    yield { type: 'response-start', id: 'r1', model: 'claude' };
    yield { type: 'reasoning-delta', index: 0, delta: 'Think.' };
    yield {
      type: 'reasoning-signature',
      index: 0,
      signature: 'EqQB-sig',
      signatureProtocol: 'anthropic-messages',
    };
    yield { type: 'block-end', index: 0 };
    yield {
      type: 'reasoning-signature',
      index: 1,
      signature: '',
      redactedData: 'opaque',
      signatureProtocol: 'anthropic-messages',
    };
    yield { type: 'block-end', index: 1 };
    yield { type: 'response-end', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };
  }
  const parts: unknown[] = [];
  for await (const frame of gemini.encodeStream(events(), { requestId: 'req_1', requestedModel: 'm' })) {
    const chunk = JSON.parse(frame.slice('data: '.length)) as {
      candidates?: Array<{ content?: { parts?: unknown[] } }>;
    };
    parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
  }
  assert.deepEqual(parts, [
    { text: 'Think.', thought: true },
    { text: '', thought: true, thoughtSignature: anthropicToken },
    {
      text: '',
      thoughtSignature: wrapToken({ protocol: 'anthropic-messages', redactedData: 'opaque' }),
    },
    { text: '' }, // the closing chunk with finishReason
  ]);
});

test('sent back, the streamed thought text joins its foreign signature; Gemini thoughts stay as sent', () => {
  const request = gemini.decodeRequest(
    {
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        {
          role: 'model',
          parts: [
            { text: 'Think', thought: true },
            { text: '.', thought: true },
            { text: '', thought: true, thoughtSignature: anthropicToken },
            { text: 'Own.', thought: true },
            { text: '', thought: true, thoughtSignature: 'Z2VtaW5p' },
            {
              text: 'Answer.',
              thoughtSignature: wrapToken({ protocol: 'bedrock-converse', redactedData: 'r' }),
            },
          ],
        },
      ],
    },
    info,
  );
  assert.deepEqual(request.messages[1], {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Think.', signature: 'EqQB-sig', signatureProtocol: 'anthropic-messages' },
      { type: 'reasoning', text: 'Own.' },
      { type: 'reasoning', text: '', signature: 'Z2VtaW5p', signatureProtocol: 'gemini' },
      { type: 'reasoning', text: '', redactedData: 'r', signatureProtocol: 'bedrock-converse' },
      { type: 'text', text: 'Answer.' },
    ],
  });
});
