import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifySigV4 } from '../../../test/fakes/bedrock.ts';
import { type ProviderInstance, type Target, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ToolDefinition } from '../../core/canonical.ts';
import { buildConverseBody, buildRequest } from './build-request.ts';

const CLAUDE = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const LLAMA = 'meta.llama3-1-70b-instruct-v1:0';
const USER = { role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] };
const WEATHER: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const WEATHER_SPEC = {
  toolSpec: {
    name: 'get_weather',
    description: 'Current weather',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
};

function request(partial: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'claude-3-7-sonnet', messages: [USER], stream: false, extra: {}, ...partial };
}

async function build(partial: Partial<CanonicalRequest>, modelId = CLAUDE) {
  const warnings = new Warnings();
  const body = await buildConverseBody(request(partial), modelId, { warnings });
  return { body, warnings: warnings.items };
}

describe('Converse body: tools and tool choice', () => {
  it('declares tools as toolSpecs with the mapped tool choice', async () => {
    for (const [choice, expected] of [
      [{ type: 'auto' }, { auto: {} }],
      [{ type: 'required' }, { any: {} }],
      [{ type: 'tool', name: 'get_weather' }, { tool: { name: 'get_weather' } }],
    ] as const) {
      const { body, warnings } = await build({ tools: [WEATHER], toolChoice: choice });
      assert.deepEqual(body, {
        messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
        toolConfig: { tools: [WEATHER_SPEC], toolChoice: expected },
      });
      assert.deepEqual(warnings, []);
    }
  });

  it('leaves toolChoice out when none was asked, and defaults a schema-less tool', async () => {
    const { body } = await build({ tools: [{ name: 'ping' }] });
    assert.deepEqual(body.toolConfig, {
      tools: [{ toolSpec: { name: 'ping', inputSchema: { json: { type: 'object', properties: {} } } } }],
    });
  });

  it('tool choice none omits toolConfig when the history has no tool blocks', async () => {
    const { body, warnings } = await build({ tools: [WEATHER], toolChoice: { type: 'none' } });
    assert.deepEqual(body, { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    assert.deepEqual(warnings, []);
  });

  it('tool choice none keeps tools (and warns) when the history has tool blocks', async () => {
    const { body, warnings } = await build({
      tools: [WEATHER],
      toolChoice: { type: 'none' },
      messages: [
        USER,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 't1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'text', text: 'cold' }] }],
        },
      ],
    });
    assert.deepEqual(body.toolConfig, { tools: [WEATHER_SPEC] });
    assert.deepEqual(warnings, [
      'toolChoice: Bedrock has no "none"; tools stay declared because the conversation has tool calls, so the model may still call one',
    ]);
  });

  it('declares placeholder specs when the history has tool calls but no tools are given', async () => {
    const { body, warnings } = await build({
      messages: [
        USER,
        { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'lookup', arguments: '{}' }] },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'text', text: 'ok' }] }],
        },
      ],
    });
    assert.deepEqual(body.toolConfig, {
      tools: [
        {
          toolSpec: {
            name: 'lookup',
            description: 'Tool used earlier in this conversation.',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
    });
    assert.deepEqual(warnings, [
      'tools: the conversation has tool calls but no tools were declared; Bedrock requires them, so placeholders were declared for lookup',
    ]);
  });

  it('warns about strict tools and disabled parallel calls', async () => {
    const { warnings } = await build({ tools: [{ ...WEATHER, strict: true }], parallelToolCalls: false });
    assert.deepEqual(warnings, [
      'tools.strict: Bedrock has no strict tool schemas; ignored',
      'parallelToolCalls: Bedrock Converse cannot disable parallel tool calls; ignored',
    ]);
  });
});

describe('Converse body: JSON output through a forced tool', () => {
  const schema = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };

  it('json-schema → a forced `json` tool with the schema', async () => {
    const { body, warnings } = await build({
      responseFormat: {
        type: 'json-schema',
        name: 'result',
        description: 'The final answer',
        schema,
        strict: true,
      },
    });
    assert.deepEqual(body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      toolConfig: {
        tools: [
          { toolSpec: { name: 'json', description: 'The final answer', inputSchema: { json: schema } } },
        ],
        toolChoice: { tool: { name: 'json' } },
      },
    });
    assert.deepEqual(warnings, [
      'responseFormat.strict: Bedrock cannot enforce a schema strictly; sent as a forced tool',
    ]);
  });

  it('json (no schema) → a forced tool taking any object', async () => {
    const { body } = await build({ responseFormat: { type: 'json' } });
    assert.deepEqual(body.toolConfig, {
      tools: [
        {
          toolSpec: {
            name: 'json',
            description: 'Respond with a JSON object.',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
      toolChoice: { tool: { name: 'json' } },
    });
  });

  it('with client tools, the JSON tool is added and the model must call one of them', async () => {
    const { body } = await build({
      tools: [WEATHER, { name: 'json', parameters: { type: 'object' } }],
      responseFormat: { type: 'json-schema', name: 'result', schema },
    });
    assert.deepEqual(body.toolConfig, {
      tools: [
        WEATHER_SPEC,
        { toolSpec: { name: 'json', inputSchema: { json: { type: 'object' } } } },
        {
          toolSpec: {
            name: 'json_response_2',
            description: 'Respond with a JSON object.',
            inputSchema: { json: schema },
          },
        },
      ],
      toolChoice: { any: {} },
    });
  });
});

describe('Converse body: inference settings', () => {
  it('maps the inference config and, for Claude, top_k', async () => {
    const { body, warnings } = await build({
      maxOutputTokens: 512,
      temperature: 0.3,
      topP: 0.8,
      topK: 40,
      stop: ['END', '###'],
      metadata: { team: 'search' },
    });
    assert.deepEqual(body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0.3, topP: 0.8, stopSequences: ['END', '###'] },
      additionalModelRequestFields: { top_k: 40 },
      requestMetadata: { team: 'search' },
    });
    assert.deepEqual(warnings, []);
  });

  it('maps reasoning to Claude thinking, making room for the answer', async () => {
    const effort = await build({ reasoning: { effort: 'medium' } });
    assert.deepEqual(effort.body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 2048 + 4096 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    const budget = await build({
      reasoning: { budgetTokens: 3000 },
      maxOutputTokens: 2000,
      temperature: 0.5,
      topK: 5,
    });
    assert.deepEqual(budget.body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 5000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 3000 } },
    });
    assert.deepEqual(budget.warnings, [
      'topK: Anthropic models reject top_k with extended thinking; ignored',
      'temperature: Anthropic models only accept temperature 1 with extended thinking; ignored',
      'maxOutputTokens: raised by the thinking budget, as Anthropic needs maxTokens above budget_tokens',
    ]);
    const none = await build({ reasoning: { effort: 'none' } });
    assert.deepEqual(none.body, { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('does not map topK or reasoning for non-Anthropic models, and says so', async () => {
    const { body, warnings } = await build(
      { topK: 10, reasoning: { effort: 'high' }, temperature: 0.2 },
      LLAMA,
    );
    assert.deepEqual(body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { temperature: 0.2 },
    });
    assert.deepEqual(warnings, [
      'topK: only mapped for Anthropic models on Bedrock; ignored',
      'reasoning: only mapped for Anthropic models on Bedrock; ignored',
    ]);
  });

  it('warns about every field Converse cannot honour', async () => {
    const { warnings } = await build({
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      n: 2,
      user: 'u-1',
      extra: { logprobs: true },
    });
    assert.deepEqual(warnings, [
      'seed: not supported by Bedrock Converse; ignored',
      'frequencyPenalty: not supported by Bedrock Converse; ignored',
      'presencePenalty: not supported by Bedrock Converse; ignored',
      'n: Bedrock Converse returns one choice; ignored',
      'user: not supported by Bedrock Converse; ignored',
      'logprobs: no equivalent on Bedrock Converse; ignored',
    ]);
  });
});

function target(options: Record<string, unknown>, model = CLAUDE, headers?: Record<string, string>): Target {
  const provider: ProviderInstance = {
    id: 'bedrock',
    type: 'bedrock',
    baseUrl: 'https://bedrock-runtime.us-west-2.amazonaws.com',
    options: { region: 'us-west-2', ...options },
    headers,
    source: 'env',
  };
  return { provider, deployment: { provider: 'bedrock', model }, modelId: 'claude-3-7-sonnet' };
}

describe('buildRequest', () => {
  it('POSTs to converse-stream with the encoded profile id and a verifiable SigV4 signature', async () => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret/KEY+example',
      sessionToken: 'session-tok',
    };
    const upstream = await buildRequest(request({ stream: true }), {
      target: target(credentials, CLAUDE, { 'x-team': 'ml' }),
      warnings: new Warnings(),
    });
    assert.equal(
      upstream.url,
      'https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream',
    );
    assert.equal(upstream.method, 'POST');
    assert.equal(upstream.body, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}');
    const { authorization, 'x-amz-date': amzDate, ...rest } = upstream.headers;
    assert.deepEqual(rest, {
      'x-team': 'ml',
      'content-type': 'application/json',
      accept: 'application/vnd.amazon.eventstream',
      'x-amz-security-token': 'session-tok',
    });
    assert.match(authorization, /Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, /);
    assert.match(authorization, /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, /);
    const url = new URL(upstream.url);
    const check = await verifySigV4(
      {
        method: 'POST',
        url: url.pathname,
        headers: { ...upstream.headers, host: url.host },
        body: String(upstream.body),
        json: undefined,
        aborted: false,
      },
      credentials,
    );
    assert.deepEqual(check, { valid: true, expected: authorization, received: authorization });
    assert.match(amzDate, /^\d{8}T\d{6}Z$/);
    const wrong = await verifySigV4(
      {
        method: 'POST',
        url: url.pathname,
        headers: { ...upstream.headers, host: url.host },
        body: '{}',
        json: undefined,
        aborted: false,
      },
      credentials,
    );
    assert.equal(wrong.valid, false);
  });

  it('sends a Bedrock API key as a bearer token to /converse', async () => {
    const arn =
      'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0';
    const upstream = await buildRequest(request(), {
      target: target({ bearerToken: 'ABSK-test' }, arn),
      warnings: new Warnings(),
    });
    assert.deepEqual(upstream, {
      method: 'POST',
      url:
        'https://bedrock-runtime.us-west-2.amazonaws.com/model/' +
        'arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: 'Bearer ABSK-test',
      },
      body: '{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}',
    });
  });
});
