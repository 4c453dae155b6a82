import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { decodeInputTokensRequest, decodeRequest, encodeInputTokensResponse } from './index.ts';
import { encodeReasoningToken } from './reasoning-token.ts';

function rejects(body: unknown, code: string, param: string): void {
  assert.throws(
    () => decodeRequest(body),
    (error: unknown) => error instanceof GatewayError && error.code === code && error.param === param,
  );
}

describe('decodeRequest', () => {
  it('decodes a string input with instructions and scalar settings', () => {
    const request = decodeRequest({
      model: 'gpt-5.1',
      instructions: 'Be brief.',
      input: 'Hello',
      max_output_tokens: 300,
      temperature: 0.4,
      top_p: 0.9,
      parallel_tool_calls: false,
      stream: true,
      user: 'u-1',
      metadata: { team: 'blue' },
      store: false,
      previous_response_id: 'resp_prev',
      include: ['reasoning.encrypted_content'],
      truncation: 'auto',
      service_tier: null,
    });
    assert.deepEqual(request, {
      model: 'gpt-5.1',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      ],
      stream: true,
      maxOutputTokens: 300,
      temperature: 0.4,
      topP: 0.9,
      parallelToolCalls: false,
      user: 'u-1',
      metadata: { team: 'blue' },
      extra: { truncation: 'auto' },
    } satisfies CanonicalRequest);
    // honoured by the gateway itself: readable for the echo, not listed as unhonoured fields
    const extra: Record<string, unknown> = request.extra;
    assert.deepEqual(
      [extra.store, extra.previous_response_id, extra.include],
      [false, 'resp_prev', ['reasoning.encrypted_content']],
    );
  });

  it('an include the gateway cannot honour stays in extra', () => {
    const request = decodeRequest({ model: 'm', input: 'x', include: ['message.output_text.logprobs'] });
    assert.deepEqual(request.extra, { include: ['message.output_text.logprobs'] });
  });

  it('decodes a tool round trip: function_call items merge into one assistant message', () => {
    const request = decodeRequest({
      model: 'gpt-5.1',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris and Oslo?' }] },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_a',
          name: 'weather',
          arguments: '{"city":"Paris"}',
        },
        {
          type: 'function_call',
          call_id: 'call_b',
          name: 'weather',
          arguments: '{"city":"Oslo"}',
          status: 'completed',
        },
        { type: 'function_call_output', call_id: 'call_a', output: '18C' },
        {
          type: 'function_call_output',
          call_id: 'call_b',
          output: [{ type: 'input_text', text: '7C' }],
        },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Paris 18C, Oslo 7C.', annotations: [] }],
        },
        { role: 'developer', content: 'Answer in French from now on.' },
        { role: 'user', content: 'Merci' },
      ],
      tools: [
        {
          type: 'function',
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'function', name: 'weather' },
    });
    assert.deepEqual(request, {
      model: 'gpt-5.1',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_b', name: 'weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_a',
              toolName: 'weather',
              content: [{ type: 'text', text: '18C' }],
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_b',
              toolName: 'weather',
              content: [{ type: 'text', text: '7C' }],
            },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'Paris 18C, Oslo 7C.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French from now on.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Merci' }] },
      ],
      stream: false,
      tools: [
        {
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      ],
      toolChoice: { type: 'tool', name: 'weather' },
      extra: { tools: [{ type: 'web_search' }] },
    } satisfies CanonicalRequest);
  });

  it('decodes images and files', () => {
    const request = decodeRequest({
      model: 'gpt-4.1',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Compare these' },
            { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'high' },
            { type: 'input_image', image_url: 'data:image/jpeg;base64,/9j/4AAQ', detail: 'auto' },
            { type: 'input_image', file_id: 'file-img1' },
            { type: 'input_file', file_id: 'file-doc1' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'high' },
          {
            type: 'image',
            source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
            detail: 'auto',
          },
          { type: 'file', fileId: 'file-img1', mediaType: 'image/*' },
          { type: 'file', fileId: 'file-doc1' },
          { type: 'file', filename: 'a.pdf', mediaType: 'application/pdf', data: 'JVBERi0x' },
        ],
      },
    ]);
  });

  it('decodes text.format json_schema, verbosity and reasoning settings', () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    };
    const request = decodeRequest({
      model: 'gpt-5.1',
      input: 'Where?',
      text: {
        format: { type: 'json_schema', name: 'place', schema, strict: true, description: 'A place' },
        verbosity: 'low',
      },
      reasoning: { effort: 'high', summary: 'detailed' },
    });
    assert.deepEqual(request.responseFormat, {
      type: 'json-schema',
      name: 'place',
      schema,
      description: 'A place',
      strict: true,
    });
    assert.deepEqual(request.reasoning, { effort: 'high', includeThoughts: true });
    assert.deepEqual(request.extra, { text: { verbosity: 'low' }, reasoning: { summary: 'detailed' } });

    const json = decodeRequest({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_object' } },
      reasoning: { effort: 'low', summary: 'auto' },
    });
    assert.deepEqual(json.responseFormat, { type: 'json' });
    assert.deepEqual(json.reasoning, { effort: 'low', includeThoughts: true });
    assert.deepEqual(json.extra, {});

    const xhigh = decodeRequest({ model: 'm', input: 'x', reasoning: { effort: 'xhigh' } });
    assert.deepEqual(xhigh.reasoning, { effort: 'high' });
    assert.deepEqual(xhigh.extra, { reasoning: { effort: 'xhigh' } });
  });

  it('decodes reasoning items: summary → text, encrypted_content → signature, in the same assistant turn', () => {
    const anthropicToken = encodeReasoningToken({
      signature: 'EqQBCkYIBh',
      signatureProtocol: 'anthropic-messages',
    });
    const request = decodeRequest({
      model: 'gpt-5.1',
      input: [
        { role: 'user', content: 'Compute 12+7' },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [
            { type: 'summary_text', text: '**Adding**' },
            { type: 'summary_text', text: 'Use the calculator.' },
          ],
          encrypted_content: 'gAAAAABpPDIU',
        },
        { type: 'function_call', call_id: 'call_1', name: 'calculator', arguments: '{"a":12,"b":7}' },
        { type: 'function_call_output', call_id: 'call_1', output: '19' },
        { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: anthropicToken },
        { type: 'reasoning', id: 'rs_3', summary: [] },
      ],
    });
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Compute 12+7' }] },
      {
        role: 'assistant',
        content: [
          {
            type: 'reasoning',
            text: '**Adding**\n\nUse the calculator.',
            signature: 'gAAAAABpPDIU',
            signatureProtocol: 'openai-responses',
          },
          { type: 'tool-call', id: 'call_1', name: 'calculator', arguments: '{"a":12,"b":7}' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            toolName: 'calculator',
            content: [{ type: 'text', text: '19' }],
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: '', signature: 'EqQBCkYIBh', signatureProtocol: 'anthropic-messages' },
          { type: 'reasoning', text: '' },
        ],
      },
    ]);
  });

  it('keeps tool_choice strings and non-function choices', () => {
    assert.deepEqual(decodeRequest({ model: 'm', input: 'x', tool_choice: 'required' }).toolChoice, {
      type: 'required',
    });
    assert.deepEqual(decodeRequest({ model: 'm', input: 'x', tool_choice: 'none' }).toolChoice, {
      type: 'none',
    });
    const allowed = { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'a' }] };
    const request = decodeRequest({ model: 'm', input: 'x', tool_choice: allowed });
    assert.equal(request.toolChoice, undefined);
    assert.deepEqual(request.extra, { tool_choice: allowed });
  });

  it('rejects bad requests with the offending param', () => {
    rejects(null, 'invalid_request', 'body');
    rejects({ input: 'x' }, 'invalid_request', 'model');
    rejects({ model: 'm' }, 'invalid_request', 'input');
    rejects({ model: 'm', input: [] }, 'invalid_request', 'input');
    rejects({ model: 'm', input: 42 }, 'invalid_request', 'input');
    rejects({ model: 'm', input: [{ type: 'bogus' }] }, 'invalid_request', 'input[0].type');
    rejects({ model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'invalid_request', 'input[0].role');
    rejects(
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_video' }] }] },
      'invalid_request',
      'input[0].content[0].type',
    );
    rejects(
      { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'invalid_request',
      'input[0].call_id',
    );
    rejects(
      { model: 'm', input: [{ type: 'function_call_output', call_id: 'c', output: 5 }] },
      'invalid_request',
      'input[0].output',
    );
    rejects(
      { model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] },
      'unsupported_operation',
      'input[0].type',
    );
    rejects({ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'invalid_request', 'tools[0].name');
    rejects({ model: 'm', input: 'x', tool_choice: 'sometimes' }, 'invalid_request', 'tool_choice');
    rejects(
      { model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } },
      'invalid_request',
      'text.format.schema',
    );
    rejects({ model: 'm', input: 'x', temperature: 'hot' }, 'invalid_request', 'temperature');
    rejects({ model: 'm', input: 'x', instructions: 5 }, 'invalid_request', 'instructions');
  });

  it('accepts a continuation without input', () => {
    const request = decodeRequest({ model: 'm', previous_response_id: 'resp_1', instructions: 'Hi' });
    assert.deepEqual(request.messages, [{ role: 'system', content: [{ type: 'text', text: 'Hi' }] }]);
    assert.deepEqual(request.extra, {});
    assert.equal(request.extra.previous_response_id, 'resp_1');
  });
});

describe('input_tokens', () => {
  it('decodes the body without requiring input and encodes the count', () => {
    const request = decodeInputTokensRequest({ model: 'gpt-5.1', input: 'Hello', stream: true });
    assert.deepEqual(request, {
      model: 'gpt-5.1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: false,
      extra: {},
    });
    assert.deepEqual(decodeInputTokensRequest({ model: 'gpt-5.1', instructions: 'x' }).messages, [
      { role: 'system', content: [{ type: 'text', text: 'x' }] },
    ]);
    assert.deepEqual(encodeInputTokensResponse(42), { object: 'response.input_tokens', input_tokens: 42 });
  });
});
