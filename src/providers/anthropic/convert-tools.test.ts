import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAnthropicMessagesBody } from './build-body.ts';
import { testContext, testRequest, user } from './test-helpers.ts';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const anthropicWeatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('buildAnthropicMessagesBody: tools and tool_choice', () => {
  const cases = [
    { name: 'no choice', fields: {}, expected: {} },
    { name: 'auto', fields: { toolChoice: { type: 'auto' } }, expected: { tool_choice: { type: 'auto' } } },
    { name: 'none', fields: { toolChoice: { type: 'none' } }, expected: { tool_choice: { type: 'none' } } },
    {
      name: 'required → any',
      fields: { toolChoice: { type: 'required' } },
      expected: { tool_choice: { type: 'any' } },
    },
    {
      name: 'named → tool',
      fields: { toolChoice: { type: 'tool', name: 'get_weather' } },
      expected: { tool_choice: { type: 'tool', name: 'get_weather' } },
    },
    {
      name: 'parallel off without choice',
      fields: { parallelToolCalls: false },
      expected: { tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
    },
    {
      name: 'parallel off with required',
      fields: { parallelToolCalls: false, toolChoice: { type: 'required' } },
      expected: { tool_choice: { type: 'any', disable_parallel_tool_use: true } },
    },
    {
      name: 'parallel off with none',
      fields: { parallelToolCalls: false, toolChoice: { type: 'none' } },
      expected: { tool_choice: { type: 'none' } },
    },
  ] as const;
  for (const { name, fields, expected } of cases) {
    it(name, () => {
      const context = testContext();
      const body = buildAnthropicMessagesBody(
        testRequest([user('Paris?')], { tools: [weatherTool], ...fields }),
        context,
      );
      assert.deepEqual(body, {
        max_tokens: 64_000,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Paris?' }] }],
        tools: [anthropicWeatherTool],
        ...expected,
      });
      assert.deepEqual(context.warnings.items, []);
    });
  }

  it('gives parameterless tools an empty object schema and warns about strict', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('time?')], { tools: [{ name: 'get_time', strict: true }] }),
      context,
    );
    assert.deepEqual(body.tools, [{ name: 'get_time', input_schema: { type: 'object', properties: {} } }]);
    assert.deepEqual(context.warnings.items, [
      'tools.strict: Anthropic does not enforce strict tool schemas; ignored',
    ]);
  });

  it('ignores a forcing tool_choice when there are no tools, with a warning', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('x')], { toolChoice: { type: 'required' } }),
      context,
    );
    assert.equal(body.tool_choice, undefined);
    assert.equal(body.tools, undefined);
    assert.deepEqual(context.warnings.items, ['tool_choice: no tools were given; ignored']);
  });
});

describe('buildAnthropicMessagesBody: JSON output', () => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' }, population: { type: 'integer' } },
    required: ['city', 'population'],
  };

  it('forces a tool named after the json-schema, and turns thinking off', () => {
    const context = testContext();
    const body = buildAnthropicMessagesBody(
      testRequest([user('Describe Lyon.')], {
        responseFormat: { type: 'json-schema', name: 'city_report', description: 'A city summary', schema },
        reasoning: { effort: 'low' },
      }),
      context,
    );
    assert.deepEqual(body, {
      max_tokens: 64_000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe Lyon.' }] }],
      tools: [{ name: 'city_report', description: 'A city summary', input_schema: schema }],
      tool_choice: { type: 'tool', name: 'city_report' },
    });
    assert.deepEqual(context.warnings.items, [
      'reasoning: Anthropic cannot think while a tool is forced for JSON output; thinking disabled',
    ]);
  });

  it('uses a generic json tool for JSON mode without a schema', () => {
    const body = buildAnthropicMessagesBody(
      testRequest([user('x')], { responseFormat: { type: 'json' } }),
      testContext(),
    );
    assert.deepEqual(body.tools, [
      { name: 'json', description: 'Respond with a JSON object.', input_schema: { type: 'object' } },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'json' });
  });

  it('lets the model choose between the client tools and the JSON tool', () => {
    const body = buildAnthropicMessagesBody(
      testRequest([user('x')], {
        tools: [weatherTool],
        responseFormat: { type: 'json-schema', name: 'get_weather', schema },
        parallelToolCalls: false,
      }),
      testContext(),
    );
    assert.deepEqual(body.tools, [
      anthropicWeatherTool,
      {
        name: 'get_weather_output',
        description: 'Respond with a JSON object that matches this schema.',
        input_schema: schema,
      },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'any', disable_parallel_tool_use: true });
  });
});
