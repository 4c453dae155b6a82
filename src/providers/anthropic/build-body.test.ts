import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAnthropicMessagesBody } from './build-body.ts';
import { testContext, testRequest, testTarget, user } from './test-helpers.ts';

describe('buildAnthropicMessagesBody: thinking', () => {
  it('maps effort to a budget, drops sampling settings thinking forbids, and echoes signed reasoning', () => {
    const context = testContext();
    const request = testRequest(
      [
        user('17 * 23?'),
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'Multiply.',
              signature: 'sig-abc',
              signatureProtocol: 'anthropic-messages',
            },
            {
              type: 'reasoning',
              text: '',
              redactedData: 'redacted-xyz',
              signatureProtocol: 'anthropic-messages',
            },
            { type: 'reasoning', text: 'no signature here' },
            { type: 'reasoning', text: 'gemini thought', signature: 'g-sig', signatureProtocol: 'gemini' },
            { type: 'reasoning', text: 'legacy', signature: 'sig-legacy' },
            { type: 'tool-call', id: 'toolu_1', name: 'calc', arguments: '{"expr":"17*23"}' },
          ],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '391' }] }],
        },
      ],
      {
        reasoning: { effort: 'medium' },
        temperature: 0.2,
        topP: 0.5,
        topK: 40,
        tools: [{ name: 'calc', parameters: { type: 'object' } }],
        toolChoice: { type: 'required' },
      },
    );
    const body = buildAnthropicMessagesBody(request, context);
    assert.deepEqual(body, {
      max_tokens: 64_000,
      thinking: { type: 'enabled', budget_tokens: 8_192 },
      tools: [{ name: 'calc', input_schema: { type: 'object' } }],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: '17 * 23?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Multiply.', signature: 'sig-abc' },
            { type: 'redacted_thinking', data: 'redacted-xyz' },
            { type: 'thinking', thinking: 'legacy', signature: 'sig-legacy' },
            { type: 'tool_use', id: 'toolu_1', name: 'calc', input: { expr: '17*23' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '391' }] },
      ],
    });
    assert.deepEqual(context.warnings.items, [
      'reasoning: reasoning without an Anthropic signature cannot be sent back; dropped',
      'reasoning: reasoning signed by gemini cannot be sent to Anthropic; dropped',
      'tool_choice: Anthropic cannot force tool use while extended thinking is on; sent as auto',
      'temperature: not allowed with Anthropic extended thinking; ignored',
      'top_p: Anthropic extended thinking needs top_p of 0.95 or more; ignored',
      'top_k: not allowed with Anthropic extended thinking; ignored',
    ]);
  });

  const budgets = [
    {
      name: 'effort high',
      reasoning: { effort: 'high' },
      max: undefined,
      thinking: 16_384,
      maxTokens: 64_000,
    },
    {
      name: 'effort minimal',
      reasoning: { effort: 'minimal' },
      max: 2_000,
      thinking: 1_024,
      maxTokens: 2_000,
    },
    {
      name: 'effort none',
      reasoning: { effort: 'none' },
      max: undefined,
      thinking: undefined,
      maxTokens: 64_000,
    },
    {
      name: 'explicit budget wins',
      reasoning: { effort: 'low', budgetTokens: 5_000 },
      max: 9_000,
      thinking: 5_000,
      maxTokens: 9_000,
    },
    {
      name: 'budget 0 turns it off',
      reasoning: { budgetTokens: 0 },
      max: undefined,
      thinking: undefined,
      maxTokens: 64_000,
    },
  ] as const;
  for (const { name, reasoning, max, thinking, maxTokens } of budgets) {
    it(name, () => {
      const context = testContext();
      const body = buildAnthropicMessagesBody(
        testRequest([user('q')], { reasoning, maxOutputTokens: max }),
        context,
      );
      assert.equal(body.max_tokens, maxTokens);
      assert.deepEqual(
        body.thinking,
        thinking === undefined ? undefined : { type: 'enabled', budget_tokens: thinking },
      );
      assert.deepEqual(context.warnings.items, []);
    });
  }

  it('turns thinking off when the last tool-calling assistant turn has no thinking block', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest(
        [
          user('Weather?'),
          {
            role: 'assistant',
            content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{}' }],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'sun' }] },
            ],
          },
        ],
        { reasoning: { effort: 'high' }, temperature: 0.4 },
      ),
      context,
    );
    assert.deepEqual(body, {
      max_tokens: 64_000,
      temperature: 0.4,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'sun' }] },
      ],
    });
    assert.deepEqual(context.warnings.items, [
      'reasoning: the last assistant tool call has no Anthropic thinking block to send back; thinking disabled',
    ]);
  });

  it('raises a budget under 1024, with a warning', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('q')], { reasoning: { budgetTokens: 500 } }),
      context,
    );
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 1_024 });
    assert.deepEqual(context.warnings.items, [
      'reasoning.budget_tokens: Anthropic needs at least 1024; raised',
    ]);
  });

  it('lowers a budget that does not fit below max_tokens', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('q')], { reasoning: { effort: 'high' }, maxOutputTokens: 3_000 }),
      context,
    );
    assert.equal(body.max_tokens, 3_000);
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 1_500 });
    assert.deepEqual(context.warnings.items, [
      'reasoning: thinking budget lowered from 16384 to 1500 to stay below max_tokens 3000',
    ]);
  });

  it('turns thinking off when max_tokens leaves no room for it', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('q')], { reasoning: { effort: 'low' }, maxOutputTokens: 1_500, temperature: 0.3 }),
      context,
    );
    assert.deepEqual(body, {
      max_tokens: 1_500,
      temperature: 0.3,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }],
    });
    assert.deepEqual(context.warnings.items, [
      'reasoning: max_tokens 1500 leaves no room for a thinking budget; thinking disabled',
    ]);
  });
});

describe('buildAnthropicMessagesBody: max_tokens and other settings', () => {
  const limits = [
    {
      model: 'claude-sonnet-4-5-20250929',
      deploymentMax: undefined,
      requestMax: undefined,
      expected: 64_000,
    },
    { model: 'claude-sonnet-4-5-20250929', deploymentMax: 20_000, requestMax: undefined, expected: 20_000 },
    { model: 'claude-sonnet-4-5-20250929', deploymentMax: 20_000, requestMax: 300, expected: 300 },
    { model: 'claude-3-5-haiku-20241022', deploymentMax: undefined, requestMax: undefined, expected: 8_192 },
    { model: 'claude-opus-4-1-20250805', deploymentMax: undefined, requestMax: undefined, expected: 32_000 },
    { model: 'claude-opus-4-5-20251101', deploymentMax: undefined, requestMax: undefined, expected: 64_000 },
    {
      model: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      deploymentMax: undefined,
      requestMax: undefined,
      expected: 64_000,
    },
    { model: 'claude-3-haiku@20240307', deploymentMax: undefined, requestMax: undefined, expected: 4_096 },
    { model: 'claude-next-unknown', deploymentMax: undefined, requestMax: undefined, expected: 4_096 },
  ];
  for (const { model, deploymentMax, requestMax, expected } of limits) {
    it(`max_tokens ${expected} for ${model} (deployment ${deploymentMax}, request ${requestMax})`, () => {
      const context = testContext(testTarget({ model, maxOutputTokens: deploymentMax }));
      const body = buildAnthropicMessagesBody(
        testRequest([user('q')], { maxOutputTokens: requestMax }),
        context,
      );
      assert.equal(body.max_tokens, expected);
    });
  }

  it('maps sampling, stop and user, and warns about every field Anthropic cannot honour', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('q')], {
        temperature: 1.6,
        topP: 0.9,
        topK: 20,
        stop: ['END', '\n\nHuman:'],
        user: 'user-42',
        metadata: { team: 'blue', user_id: 'ignored-user' },
        seed: 7,
        frequencyPenalty: 0.5,
        presencePenalty: 0.1,
        n: 2,
        extra: { logprobs: true, top_logprobs: 3 },
      }),
      context,
    );
    assert.deepEqual(body, {
      max_tokens: 64_000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }],
      temperature: 1,
      top_p: 0.9,
      top_k: 20,
      stop_sequences: ['END', '\n\nHuman:'],
      metadata: { user_id: 'user-42' },
    });
    assert.deepEqual(context.warnings.items, [
      'temperature: Anthropic accepts 0 to 1; 1.6 was sent as 1',
      'metadata: Anthropic accepts only user_id; team ignored',
      'seed: not supported by Anthropic; ignored',
      'frequency_penalty: not supported by Anthropic; ignored',
      'presence_penalty: not supported by Anthropic; ignored',
      'n: Anthropic returns a single choice; n=2 ignored',
      'logprobs: not supported by Anthropic Messages; ignored',
      'top_logprobs: not supported by Anthropic Messages; ignored',
    ]);
  });

  it('takes metadata.user_id when there is no user field', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('q')], { metadata: { user_id: 'u-1' } }),
      context,
    );
    assert.deepEqual(body.metadata, { user_id: 'u-1' });
    assert.deepEqual(context.warnings.items, []);
  });
});
