import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildContext } from '../../core/adapters.ts';
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import { buildGeminiBody } from './build-request.ts';
import { buildContext, request } from './test-helpers.ts';

async function body(overrides: Partial<CanonicalRequest>, context: BuildContext = buildContext()) {
  return { body: await buildGeminiBody(request(overrides), context), warnings: context.warnings.items };
}

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('gemini buildRequest: tools', () => {
  const tools: CanonicalRequest['tools'] = [
    {
      name: 'search',
      description: 'Search the docs',
      parameters: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { query: { type: 'string', default: '' }, limit: { type: ['integer', 'null'] } },
        required: ['query'],
        additionalProperties: false,
      },
      strict: true,
    },
    { name: 'now', parameters: { type: 'object', properties: {} } },
  ];
  const declarations = [
    {
      functionDeclarations: [
        {
          name: 'search',
          description: 'Search the docs',
          parameters: {
            type: 'object',
            properties: { query: { type: 'string' }, limit: { type: 'integer', nullable: true } },
            required: ['query'],
          },
        },
        { name: 'now' },
      ],
    },
  ];

  it('declarations with cleaned schemas; tool choice maps to functionCallingConfig', async () => {
    const cases: Array<[CanonicalRequest['toolChoice'], unknown]> = [
      [undefined, undefined],
      [{ type: 'auto' }, { functionCallingConfig: { mode: 'AUTO' } }],
      [{ type: 'none' }, { functionCallingConfig: { mode: 'NONE' } }],
      [{ type: 'required' }, { functionCallingConfig: { mode: 'ANY' } }],
      [
        { type: 'tool', name: 'search' },
        { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] } },
      ],
    ];
    for (const [toolChoice, toolConfig] of cases) {
      const { body: out, warnings } = await body({ messages: [user('find x')], tools, toolChoice });
      const expected: Record<string, unknown> = {
        contents: [{ role: 'user', parts: [{ text: 'find x' }] }],
        tools: declarations,
      };
      if (toolConfig) expected.toolConfig = toolConfig;
      assert.deepEqual(out, expected);
      assert.deepEqual(warnings, ['tool strict: Gemini has no strict schema mode, ignored']);
    }
  });

  it('parallelToolCalls false is warned about', async () => {
    const { warnings } = await body({ messages: [user('x')], tools: [tools[1]], parallelToolCalls: false });
    assert.deepEqual(warnings, [
      'parallel_tool_calls: Gemini cannot disable parallel function calls, ignored',
    ]);
  });
});

describe('gemini buildRequest: generationConfig', () => {
  it('maps sampling parameters, stop sequences, seed, n and penalties', async () => {
    const { body: out, warnings } = await body({
      messages: [user('x')],
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stop: ['a', 'b', 'c', 'd', 'e', 'f'],
      seed: 7,
      n: 2,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
    assert.deepEqual(out.generationConfig, {
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['a', 'b', 'c', 'd', 'e'],
      seed: 7,
      candidateCount: 2,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
    assert.deepEqual(warnings, [
      'stop: Gemini accepts at most 5 stop sequences; the rest were dropped',
      'n: Gemini generates the candidates but only the first one is returned',
    ]);
  });

  it('json mode and json-schema (cleaned) set responseMimeType / responseSchema', async () => {
    const json = await body({ messages: [user('x')], responseFormat: { type: 'json' } });
    assert.deepEqual(json.body.generationConfig, { responseMimeType: 'application/json' });
    const schema = await body({
      messages: [user('x')],
      responseFormat: {
        type: 'json-schema',
        name: 'city',
        strict: true,
        schema: {
          type: 'object',
          properties: { city: { type: 'string' }, kind: { const: 'capital' } },
          required: ['city', 'kind'],
          additionalProperties: false,
        },
      },
    });
    assert.deepEqual(schema.body.generationConfig, {
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, kind: { type: 'string', enum: ['capital'] } },
        required: ['city', 'kind'],
      },
    });
    const text = await body({ messages: [user('x')], responseFormat: { type: 'text' } });
    assert.equal(text.body.generationConfig, undefined);
  });

  it('thinking: budget wins, effort maps to documented budgets, none turns thinking off', async () => {
    const cases: Array<[CanonicalRequest['reasoning'], unknown]> = [
      [
        { budgetTokens: 2000, effort: 'high' },
        { thinkingBudget: 2000, includeThoughts: true },
      ],
      [{ effort: 'minimal' }, { thinkingBudget: 512, includeThoughts: true }],
      [{ effort: 'low' }, { thinkingBudget: 1024, includeThoughts: true }],
      [{ effort: 'medium' }, { thinkingBudget: 8192, includeThoughts: true }],
      [{ effort: 'high' }, { thinkingBudget: 24576, includeThoughts: true }],
      [{ effort: 'none' }, { thinkingBudget: 0 }],
      [{ effort: 'high', includeThoughts: false }, { thinkingBudget: 24576 }],
      [{ includeThoughts: true }, { includeThoughts: true }],
    ];
    for (const [reasoning, thinkingConfig] of cases) {
      const { body: out } = await body({ messages: [user('x')], reasoning });
      assert.deepEqual(out.generationConfig, { thinkingConfig }, JSON.stringify(reasoning));
    }
  });
});

describe('gemini buildRequest: fields without a Gemini home', () => {
  it('forwards Gemini-native extras, warns about user, metadata and unknown extras', async () => {
    const safety = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const { body: out, warnings } = await body({
      messages: [user('x')],
      user: 'u-1',
      metadata: { a: 'b' },
      extra: { safetySettings: safety, cached_content: 'cachedContents/abc', logit_bias: { 1: 2 } },
    });
    assert.deepEqual(out, {
      contents: [{ role: 'user', parts: [{ text: 'x' }] }],
      safetySettings: safety,
      cachedContent: 'cachedContents/abc',
    });
    assert.deepEqual(warnings, [
      'user: not supported by Gemini, ignored',
      'metadata: not supported by Gemini, ignored',
      'logit_bias: not supported by Gemini, ignored',
    ]);
  });
});
