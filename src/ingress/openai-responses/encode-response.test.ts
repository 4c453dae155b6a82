import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { decodeRequest, encodeError, encodeResponse, prependHistory } from './index.ts';

const context: EncodeContext = { requestId: 'req_42', requestedModel: 'gpt-5.1' };

/** The Response fields a request with no settings echoes. */
const DEFAULT_ECHO = {
  background: false,
  instructions: null,
  max_output_tokens: null,
  max_tool_calls: null,
  parallel_tool_calls: true,
  previous_response_id: null,
  prompt_cache_key: null,
  reasoning: { effort: null, summary: null },
  safety_identifier: null,
  service_tier: 'default',
  store: true,
  temperature: null,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_logprobs: 0,
  top_p: null,
  truncation: 'disabled',
  user: null,
  metadata: {},
};

describe('encodeResponse', () => {
  it('encodes reasoning, text and a function call as output items', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-abc',
      model: 'gpt-5.1-2025-11-13',
      created: 1765552659,
      content: [
        {
          type: 'reasoning',
          text: 'Need the weather.',
          signature: 'gAAAAB',
          signatureProtocol: 'openai-responses',
        },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100, reasoningTokens: 16 },
    };
    assert.deepEqual(encodeResponse(response, context), {
      id: 'resp_chatcmpl-abc',
      object: 'response',
      created_at: 1765552659,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-5.1-2025-11-13',
      output: [
        {
          id: 'rs_chatcmpl-abc_0',
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Need the weather.' }],
          encrypted_content: 'gAAAAB',
        },
        {
          id: 'msg_chatcmpl-abc_1',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
        },
        {
          id: 'fc_chatcmpl-abc_2',
          type: 'function_call',
          status: 'completed',
          arguments: '{"city":"Paris"}',
          call_id: 'call_1',
          name: 'weather',
        },
      ],
      usage: {
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 40,
        output_tokens_details: { reasoning_tokens: 16 },
        total_tokens: 160,
      },
      ...DEFAULT_ECHO,
    });
  });

  it('reports a length stop as incomplete and echoes the request settings', () => {
    const request = decodeRequest({
      model: 'gpt-5.1',
      input: 'Write a poem',
      max_output_tokens: 5,
      temperature: 0.2,
      top_p: 0.5,
      parallel_tool_calls: false,
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }, { type: 'web_search' }],
      tool_choice: 'required',
      text: {
        format: { type: 'json_schema', name: 'poem', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
      previous_response_id: 'resp_prev',
      truncation: 'auto',
      user: 'u-1',
      metadata: { k: 'v' },
    });
    const response: CanonicalResponse = {
      id: 'resp_upstream1',
      model: '',
      created: 1700000000,
      content: [{ type: 'text', text: 'Roses are' }],
      finishReason: 'length',
      usage: { inputTokens: 10, outputTokens: 5 },
    };
    assert.deepEqual(encodeResponse(response, { ...context, request }), {
      id: 'resp_upstream1',
      object: 'response',
      created_at: 1700000000,
      status: 'incomplete',
      background: false,
      error: null,
      incomplete_details: { reason: 'max_output_tokens' },
      instructions: null,
      max_output_tokens: 5,
      max_tool_calls: null,
      model: 'gpt-5.1',
      output: [
        {
          id: 'msg_upstream1_0',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Roses are', annotations: [] }],
        },
      ],
      parallel_tool_calls: false,
      previous_response_id: 'resp_prev',
      prompt_cache_key: null,
      reasoning: { effort: 'low', summary: 'auto' },
      safety_identifier: null,
      service_tier: 'default',
      store: false,
      temperature: 0.2,
      text: {
        format: { type: 'json_schema', name: 'poem', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      tool_choice: 'required',
      tools: [
        { type: 'function', name: 'lookup', description: null, parameters: { type: 'object' }, strict: null },
        { type: 'web_search' },
      ],
      top_logprobs: 0,
      top_p: 0.5,
      truncation: 'auto',
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 15,
      },
      user: 'u-1',
      metadata: { k: 'v' },
    });
  });

  it('echoes instructions as sent, also after history is prepended to a copy of the request', () => {
    const request = decodeRequest({ model: 'gpt-5.1', instructions: 'Be brief.', input: 'Hi' });
    const continued = prependHistory(request, [
      { role: 'user', content: [{ type: 'text', text: 'Before' }] },
      { role: 'system', content: [{ type: 'text', text: 'Not instructions' }] },
    ]);
    const response: CanonicalResponse = {
      id: 'resp_i',
      model: 'gpt-5.1',
      content: [{ type: 'text', text: 'Hello' }],
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 1 },
    };
    const echoed = (req: typeof request) =>
      (encodeResponse(response, { ...context, request: req }) as { instructions: unknown }).instructions;
    assert.equal(echoed(request), 'Be brief.');
    assert.equal(echoed({ ...continued }), 'Be brief.');
    const withoutInstructions = decodeRequest({
      model: 'gpt-5.1',
      input: [
        { role: 'system', content: 'A system item, not instructions' },
        { role: 'user', content: 'Hi' },
      ],
    });
    assert.equal(echoed(withoutInstructions), null);
  });

  it('derives the id from the request id when the provider gave none, and wraps foreign reasoning tokens', () => {
    const response: CanonicalResponse = {
      id: '',
      model: 'claude-sonnet-4-6',
      created: 1,
      content: [
        { type: 'reasoning', text: 'hmm', signature: 'EqQB', signatureProtocol: 'anthropic-messages' },
      ],
      finishReason: 'content-filter',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
    const encoded = encodeResponse(response, context) as Record<string, unknown>;
    assert.equal(encoded.id, 'resp_req_42');
    assert.equal(encoded.status, 'incomplete');
    assert.deepEqual(encoded.incomplete_details, { reason: 'content_filter' });
    const [item] = encoded.output as Array<Record<string, unknown>>;
    assert.equal(item.id, 'rs_req_42_0');
    assert.match(String(item.encrypted_content), /^swy1\./);
    // sent back as input, the token returns to the protocol that issued it
    const back = decodeRequest({ model: 'm', input: [item] });
    assert.deepEqual(back.messages, [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'hmm', signature: 'EqQB', signatureProtocol: 'anthropic-messages' },
        ],
      },
    ]);
  });
});

describe('encodeError', () => {
  it('renders the OpenAI error shape with status', () => {
    const error = new GatewayError('invalid_request', "Missing required parameter: 'model'", {
      param: 'model',
    });
    assert.deepEqual(encodeError(error), {
      status: 400,
      body: {
        error: {
          message: "Missing required parameter: 'model'",
          type: 'invalid_request_error',
          param: 'model',
          code: 'invalid_request',
        },
      },
    });
    const upstream = new GatewayError('rate_limited', 'Slow down', {
      upstreamType: 'requests',
      upstreamCode: 'rate_limit_exceeded',
    });
    assert.deepEqual(encodeError(upstream), {
      status: 429,
      body: { error: { message: 'Slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    });
  });
});
