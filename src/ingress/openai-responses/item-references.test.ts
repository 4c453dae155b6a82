import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputToMessages } from './history.ts';
import { referencedResponseIds, resolveItemReferences } from './item-references.ts';

const stored = {
  id: 'resp_abc_1',
  output: [
    {
      id: 'msg_abc_1_0',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hi.', annotations: [] }],
    },
    {
      id: 'fc_abc_1_1',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_1',
      name: 'f',
      arguments: '{}',
    },
  ],
};

test('references name the stored responses they point into', () => {
  const input = [
    { role: 'user', content: 'q' },
    { type: 'item_reference', id: 'msg_abc_1_0' },
    { type: 'item_reference', id: 'fc_abc_1_1' },
    { type: 'item_reference', id: 'msg_other_3' },
    { type: 'item_reference', id: 'not-ours' },
  ];
  assert.deepEqual(referencedResponseIds(input), ['resp_abc_1', 'resp_other']);
  assert.deepEqual(referencedResponseIds('just text'), []);
});

test('each reference becomes the stored item; unknown ones stay for the decoder to refuse', () => {
  const input = [
    { role: 'user', content: 'q' },
    { type: 'item_reference', id: 'msg_abc_1_0' },
    { type: 'item_reference', id: 'fc_abc_1_1' },
    { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
  ];
  const resolved = resolveItemReferences(input, [stored, undefined]);
  assert.deepEqual(resolved, [input[0], stored.output[0], stored.output[1], input[3]]);
  assert.equal(inputToMessages(resolved).length, 3);
  const unknown = [{ type: 'item_reference', id: 'msg_gone_0' }];
  assert.deepEqual(resolveItemReferences(unknown, [stored]), unknown);
});
