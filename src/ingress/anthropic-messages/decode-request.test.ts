import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingRequestInfo } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import codec, { decodeCountTokensRequest, encodeCountTokensResponse } from './index.ts';

const info: IncomingRequestInfo = {
  requestId: 'req_1',
  headers: {},
  path: '/v1/messages',
  query: new URLSearchParams(),
};

const decode = (body: unknown) => codec.decodeRequest(body, info);

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

describe('anthropic-messages decodeRequest', () => {
  it('decodes the documented tools + system blocks + thinking example exactly', () => {
    const body = {
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 2048,
      system: [{ type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral' } }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [
        {
          name: 'get_weather',
          description: 'Get current weather',
          input_schema: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: "What's the weather in Paris?" },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should call get_weather.', signature: 'EvQBCkYICxgCKkAx' },
            { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '18°C, sunny' }],
        },
      ],
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: 'user-123' },
      stream: true,
      service_tier: 'auto',
    };
    const expected: CanonicalRequest = {
      model: 'claude-sonnet-4-5-20250929',
      maxOutputTokens: 2048,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are a weather bot.' }] },
        { role: 'user', content: [{ type: 'text', text: "What's the weather in Paris?" }] },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'I should call get_weather.',
              signature: 'EvQBCkYICxgCKkAx',
              signatureProtocol: 'anthropic-messages',
            },
            { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"location":"Paris"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_01A',
              toolName: 'get_weather',
              content: [{ type: 'text', text: '18°C, sunny' }],
            },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Get current weather',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      ],
      toolChoice: { type: 'auto' },
      reasoning: { budgetTokens: 1024, includeThoughts: true },
      stop: ['\n\nHuman:'],
      user: 'user-123',
      stream: true,
      extra: { service_tier: 'auto' },
    };
    assert.deepEqual(decode(body), expected);
  });

  it('decodes every user content kind, keeping order around tool results', () => {
    const body = {
      ...minimal,
      system: 'Be brief.',
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            {
              type: 'document',
              title: 'report.pdf',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
            { type: 'document', source: { type: 'file', file_id: 'file_011' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va' },
            { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
            { type: 'tool_use', id: 'toolu_2', name: 'snap', input: { n: 1 } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'found', is_error: false },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [
                { type: 'text', text: 'camera offline' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
              ],
            },
            { type: 'text', text: 'Now what?' },
          ],
        },
        { role: 'assistant', content: 'Well' },
      ],
    };
    const expected: CanonicalRequest = {
      model: 'claude-sonnet-4-5',
      maxOutputTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      stream: false,
      extra: {},
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'file', filename: 'report.pdf', mediaType: 'application/pdf', data: 'JVBERi0=' },
            { type: 'file', mediaType: 'text/plain', data: Buffer.from('hello').toString('base64') },
            { type: 'file', fileId: 'file_011' },
          ],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: '',
              redactedData: 'EmwKAhgBEgy3va',
              signatureProtocol: 'anthropic-messages',
            },
            { type: 'tool-call', id: 'toolu_1', name: 'lookup', arguments: '{}' },
            { type: 'tool-call', id: 'toolu_2', name: 'snap', arguments: '{"n":1}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_1',
              toolName: 'lookup',
              content: [{ type: 'text', text: 'found' }],
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_2',
              toolName: 'snap',
              isError: true,
              content: [
                { type: 'text', text: 'camera offline' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
              ],
            },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Now what?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Well' }] },
      ],
    };
    assert.deepEqual(decode(body), expected);
  });

  it('maps tool_choice variants and disable_parallel_tool_use', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' } }];
    const choice = (tool_choice: unknown) => {
      const r = decode({ ...minimal, tools, tool_choice });
      return { toolChoice: r.toolChoice, parallelToolCalls: r.parallelToolCalls };
    };
    assert.deepEqual(choice({ type: 'any', disable_parallel_tool_use: true }), {
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
    });
    assert.deepEqual(choice({ type: 'tool', name: 'f' }), {
      toolChoice: { type: 'tool', name: 'f' },
      parallelToolCalls: undefined,
    });
    assert.deepEqual(choice({ type: 'auto', disable_parallel_tool_use: false }), {
      toolChoice: { type: 'auto' },
      parallelToolCalls: undefined,
    });
    assert.deepEqual(choice({ type: 'none' }), {
      toolChoice: { type: 'none' },
      parallelToolCalls: undefined,
    });
  });

  it('keeps server tools, unmapped blocks, extra metadata and unknown fields in extra', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
    const serverUse = {
      type: 'server_tool_use',
      id: 'srvtoolu_1',
      name: 'web_search',
      input: { query: 'x' },
    };
    const urlDoc = { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } };
    const body = {
      ...minimal,
      tools: [{ type: 'custom', name: 'f', input_schema: { type: 'object' }, strict: true }, webSearch],
      messages: [
        { role: 'user', content: [urlDoc, { type: 'text', text: 'Summarise' }] },
        { role: 'assistant', content: [serverUse] },
        { role: 'user', content: 'go on' },
      ],
      metadata: { user_id: null, team: 'a' },
      container: 'cntr_1',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'm' }],
      thinking: { type: 'adaptive' },
    };
    const expected: CanonicalRequest = {
      model: 'claude-sonnet-4-5',
      maxOutputTokens: 100,
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Summarise' }] },
        { role: 'user', content: [{ type: 'text', text: 'go on' }] },
      ],
      tools: [{ name: 'f', parameters: { type: 'object' }, strict: true }],
      reasoning: { includeThoughts: true },
      extra: {
        container: 'cntr_1',
        mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'm' }],
        server_tools: [webSearch],
        metadata: { team: 'a' },
        unmapped_content: [
          { path: 'messages.0.content.0', block: urlDoc },
          { path: 'messages.1.content.0', block: serverUse },
        ],
      },
    };
    assert.deepEqual(decode(body), expected);
  });

  it('treats thinking disabled as the default', () => {
    assert.equal(decode({ ...minimal, thinking: { type: 'disabled' } }).reasoning, undefined);
  });
});

describe('anthropic-messages count_tokens', () => {
  it('decodes without max_tokens and never streams', () => {
    const body = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true };
    const expected: CanonicalRequest = {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
      extra: {},
    };
    assert.deepEqual(decodeCountTokensRequest(body), expected);
  });

  it('still validates the rest', () => {
    assert.throws(() => decodeCountTokensRequest({ model: 'm' }), {
      code: 'invalid_request',
      param: 'messages',
    });
  });

  it('encodes the response', () => {
    assert.deepEqual(encodeCountTokensResponse(2095), { input_tokens: 2095 });
  });
});
