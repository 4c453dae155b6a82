import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BuildContext, type Target, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { buildRequest } from './build-request.ts';

function target(overrides: Partial<Target['provider']> = {}): Target {
  return {
    provider: {
      id: 'cohere',
      type: 'cohere',
      baseUrl: 'https://api.cohere.com',
      apiKey: 'co-test-key',
      options: {},
      source: 'env',
      ...overrides,
    },
    deployment: { provider: 'cohere', model: 'command-a-03-2025' },
    modelId: 'command-a',
  };
}

function context(t: Target = target()): BuildContext {
  return { target: t, warnings: new Warnings() };
}

function request(overrides: Partial<CanonicalRequest>): CanonicalRequest {
  return {
    model: 'command-a',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    extra: {},
    ...overrides,
  };
}

function bodyOf(upstream: { body?: string | Uint8Array }): unknown {
  return JSON.parse(String(upstream.body));
}

describe('buildRequest', () => {
  test('URL, headers and a minimal body', () => {
    const ctx = context();
    const upstream = buildRequest(request({}), ctx);
    assert.equal(upstream.method, 'POST');
    assert.equal(upstream.url, 'https://api.cohere.com/v2/chat');
    assert.deepEqual(upstream.headers, {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer co-test-key',
    });
    assert.deepEqual(bodyOf(upstream), {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
    });
    assert.deepEqual(ctx.warnings.items, []);
  });

  test('full conversation: merged system, images, tool plan + calls, tool results as documents', () => {
    const ctx = context(target({ headers: { 'x-client-name': 'switchyard-test' } }));
    const upstream = buildRequest(
      request({
        stream: true,
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a weather bot.' }] },
          { role: 'developer', content: [{ type: 'text', text: 'Answer briefly.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather in Lyon?' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/sky.jpg' }, detail: 'low' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'I will use the forecast tool.' },
              { type: 'tool-call', id: 'forecast_abc123', name: 'forecast', arguments: '{"city":"Lyon"}' },
              { type: 'tool-call', id: 'localTime_def456', name: 'localTime', arguments: '' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'forecast_abc123',
                content: [{ type: 'text', text: '{"temp":18}' }],
              },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'localTime_def456',
                content: [{ type: 'text', text: '14:05' }],
              },
              { type: 'text', text: 'And tomorrow?' },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
      }),
      ctx,
    );
    assert.deepEqual(upstream.headers, {
      'x-client-name': 'switchyard-test',
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: 'Bearer co-test-key',
    });
    assert.deepEqual(bodyOf(upstream), {
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'You are a weather bot.\n\nAnswer briefly.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Lyon?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/sky.jpg', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          tool_plan: 'I will use the forecast tool.',
          tool_calls: [
            {
              id: 'forecast_abc123',
              type: 'function',
              function: { name: 'forecast', arguments: '{"city":"Lyon"}' },
            },
            { id: 'localTime_def456', type: 'function', function: { name: 'localTime', arguments: '{}' } },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'forecast_abc123',
          content: [{ type: 'document', document: { data: '{"temp":18}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'localTime_def456',
          content: [{ type: 'document', document: { data: '14:05' } }],
        },
        { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      stream: true,
    });
    assert.deepEqual(ctx.warnings.items, []);
  });

  test('tools, required choice, json schema and every sampling parameter', () => {
    const ctx = context();
    const schema = { type: 'object', properties: { temp: { type: 'number' } }, required: ['temp'] };
    const upstream = buildRequest(
      request({
        tools: [
          {
            name: 'forecast',
            description: 'Get the forecast',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
          { name: 'localTime' },
        ],
        toolChoice: { type: 'required' },
        responseFormat: { type: 'json-schema', name: 'weather', schema },
        maxOutputTokens: 512,
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        seed: 7,
        stop: ['END'],
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        reasoning: { budgetTokens: 2000 },
      }),
      ctx,
    );
    assert.deepEqual(bodyOf(upstream), {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'forecast',
            description: 'Get the forecast',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
        { type: 'function', function: { name: 'localTime', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'REQUIRED',
      response_format: { type: 'json_object', json_schema: schema },
      max_tokens: 512,
      temperature: 0.3,
      p: 0.9,
      k: 40,
      seed: 7,
      stop_sequences: ['END'],
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
      thinking: { type: 'enabled', token_budget: 2000 },
      stream: false,
    });
    assert.deepEqual(ctx.warnings.items, []);
  });

  test('tool choice: none → NONE, auto → omitted, named → REQUIRED with only that tool and a warning', () => {
    const tools = [{ name: 'a' }, { name: 'b' }];
    const none = bodyOf(buildRequest(request({ tools, toolChoice: { type: 'none' } }), context())) as Record<
      string,
      unknown
    >;
    assert.equal(none.tool_choice, 'NONE');
    const auto = bodyOf(buildRequest(request({ tools, toolChoice: { type: 'auto' } }), context())) as Record<
      string,
      unknown
    >;
    assert.equal('tool_choice' in auto, false);
    const ctx = context();
    const named = bodyOf(
      buildRequest(request({ tools, toolChoice: { type: 'tool', name: 'b' } }), ctx),
    ) as Record<string, unknown>;
    assert.deepEqual(named.tools, [
      { type: 'function', function: { name: 'b', parameters: { type: 'object', properties: {} } } },
    ]);
    assert.equal(named.tool_choice, 'REQUIRED');
    assert.deepEqual(ctx.warnings.items, [
      'tool_choice: Cohere cannot force a named tool; sent REQUIRED with only that tool',
    ]);
  });

  test('a named tool that is not among the tools is a 400', () => {
    assert.throws(
      () =>
        buildRequest(
          request({ tools: [{ name: 'a' }], toolChoice: { type: 'tool', name: 'zzz' } }),
          context(),
        ),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'invalid_request' && error.status === 400,
    );
  });

  test('json mode and reasoning effort', () => {
    const json = bodyOf(
      buildRequest(request({ responseFormat: { type: 'json' }, reasoning: { effort: 'low' } }), context()),
    ) as Record<string, unknown>;
    assert.deepEqual(json.response_format, { type: 'json_object' });
    assert.deepEqual(json.thinking, { type: 'enabled', token_budget: 1024 });
    const off = bodyOf(buildRequest(request({ reasoning: { effort: 'none' } }), context())) as Record<
      string,
      unknown
    >;
    assert.deepEqual(off.thinking, { type: 'disabled' });
    const text = bodyOf(buildRequest(request({ responseFormat: { type: 'text' } }), context())) as Record<
      string,
      unknown
    >;
    assert.equal('response_format' in text, false);
  });

  test('unsupported fields become warnings, never silent', () => {
    const ctx = context();
    const upstream = buildRequest(
      request({
        messages: [
          {
            role: 'user',
            name: 'ann',
            content: [
              { type: 'file', filename: 'a.pdf', data: 'JVBERi0=' },
              { type: 'text', text: 'Hi' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'thinking...' },
              { type: 'text', text: 'Hello' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'c1',
                isError: true,
                content: [
                  { type: 'text', text: 'failed' },
                  { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } },
                ],
              },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'Late rule.' }] },
        ],
        tools: [{ name: 'a', strict: true }],
        parallelToolCalls: false,
        n: 2,
        user: 'u-1',
        metadata: { k: 'v' },
        reasoning: { effort: 'high', includeThoughts: false },
        extra: { logprobs: true },
      }),
      ctx,
    );
    assert.deepEqual(ctx.warnings.items, [
      'messages[].name: Cohere has no message names; ignored',
      'user message: file parts are not supported by Cohere chat; dropped',
      'assistant history: reasoning is not sent back to Cohere; dropped',
      'tool result is_error: Cohere has no error flag; sent as an ordinary result',
      'tool result: images are not supported by Cohere; dropped',
      'messages: a later system message was merged into the leading system prompt',
      'tools[].strict: not sent to Cohere; arguments are not schema-enforced',
      'reasoning.include_thoughts: Cohere always returns its thinking text',
      'parallel_tool_calls: Cohere cannot disable parallel tool calls; ignored',
      'n: Cohere returns one choice; only one is returned',
      'user: not supported by Cohere, dropped',
      'metadata: not supported by Cohere, dropped',
      'logprobs: not supported by Cohere, dropped',
    ]);
    assert.deepEqual((bodyOf(upstream) as Record<string, unknown>).messages, [
      { role: 'system', content: 'Late rule.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'tool', tool_call_id: 'c1', content: [{ type: 'document', document: { data: 'failed' } }] },
    ]);
  });

  test('no API key → no authorization header; the key never appears in the URL', () => {
    const upstream = buildRequest(
      request({}),
      context(target({ apiKey: undefined, baseUrl: 'http://127.0.0.1:9' })),
    );
    assert.equal(upstream.url, 'http://127.0.0.1:9/v2/chat');
    assert.equal('authorization' in upstream.headers, false);
    const keyed = buildRequest(request({}), context());
    assert.equal(keyed.url.includes('co-test-key'), false);
  });
});
