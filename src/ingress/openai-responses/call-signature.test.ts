// A function call's own signature (Gemini's) rides in a reasoning item just before the call and comes
// back onto the call: in a JSON reply, in a stream, and from the items the client (or the store) sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalResponse } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { wrapToken } from '../signature-envelope.ts';
import openAIResponses, { inputToMessages } from './index.ts';

const context = { requestId: 'req_1', requestedModel: 'gemini-3-pro' };
const token = wrapToken({ protocol: 'gemini', signature: 'c2ln', callId: 'call_1' });
/** its id is the token too, so an item_reference to it still carries the signature */
const carrier = { id: `rs_${token}`, type: 'reasoning', summary: [], encrypted_content: token };
const call = {
  type: 'function_call',
  status: 'completed',
  arguments: '{"q":1}',
  call_id: 'call_1',
  name: 'f',
};

describe('function call signatures in Responses items', () => {
  it('encodeResponse puts a reasoning item holding the signature before the call', () => {
    const response: CanonicalResponse = {
      id: 'resp_r1',
      model: 'gemini-3-pro',
      content: [
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"q":1}', signature: 'c2ln' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
    const encoded = openAIResponses.encodeResponse(response, context) as { output: unknown[] };
    assert.deepEqual(encoded.output, [
      {
        id: 'msg_r1_0',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Calling.', annotations: [] }],
      },
      carrier,
      { id: 'fc_r1_2', ...call },
    ]);
  });

  it('encodeStream sends the carrier item whole, then the call', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { type: 'response-start', id: 'resp_r1', model: 'gemini-3-pro' };
      yield { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f', signature: 'c2ln' };
      yield { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":1}' };
      yield { type: 'block-end', index: 0 };
      yield { type: 'response-end', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 1 } };
    }
    const items: Array<[string, unknown]> = [];
    let completed: { output: unknown[] } | undefined;
    for await (const frame of openAIResponses.encodeStream(events(), context)) {
      const data = JSON.parse(
        frame
          .split('\n')
          .find((line) => line.startsWith('data: '))!
          .slice(6),
      );
      if (data.type === 'response.output_item.added' || data.type === 'response.output_item.done')
        items.push([data.type, data.item]);
      if (data.type === 'response.completed') completed = data.response;
    }
    assert.deepEqual(items, [
      ['response.output_item.added', { id: `rs_${token}`, type: 'reasoning', summary: [] }],
      ['response.output_item.done', carrier],
      ['response.output_item.added', { id: 'fc_r1_1', ...call, status: 'in_progress', arguments: '' }],
      ['response.output_item.done', { id: 'fc_r1_1', ...call }],
    ]);
    assert.deepEqual(completed?.output, [carrier, { id: 'fc_r1_1', ...call }]);
  });

  it('sent back (whole or as an item_reference), the signature goes onto its call, leaving no reasoning part', () => {
    const reference = { type: 'item_reference', id: carrier.id };
    assert.deepEqual(
      inputToMessages([{ role: 'user', content: 'q' }, reference, call]),
      inputToMessages([{ role: 'user', content: 'q' }, carrier, call]),
    );
    assert.deepEqual(inputToMessages([{ role: 'user', content: 'q' }, carrier, call]), [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"q":1}', signature: 'c2ln' }],
      },
    ]);
  });

  it('any other item_reference is still refused: the gateway does not resolve stored items', () => {
    assert.throws(() => inputToMessages([{ type: 'item_reference', id: 'msg_abc_0' }]), /item_reference/);
  });
});
