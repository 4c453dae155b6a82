// The adapter against a fake Anthropic server, through the real transport.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  anthropicError,
  anthropicErrorEvent,
  anthropicMessage,
  anthropicStream,
} from '../../../test/fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { sendUpstream } from '../../transport/http-client.ts';
import anthropic from './index.ts';
import { collect, testRequest, testTarget, user } from './test-helpers.ts';

const { adapter } = anthropic;

describe('anthropic adapter against a fake upstream', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  function target() {
    const t = testTarget();
    t.provider = { ...t.provider, baseUrl: server.url };
    return t;
  }

  async function send(request: CanonicalRequest) {
    const upstream = await adapter.buildRequest(request, { target: target(), warnings: new Warnings() });
    return sendUpstream(upstream);
  }

  it('streams text and a tool call', async () => {
    server.enqueue({
      chunks: anthropicStream({
        id: 'msg_01E2E',
        text: ['Hel', 'lo'],
        toolUse: {
          id: 'toolu_01E2E',
          name: 'get_weather',
          input: { city: 'Paris' },
          chunks: ['', '{"city":', '"Paris"}'],
        },
        usage: { input_tokens: 20, cache_read_input_tokens: 4, output_tokens: 15 },
      }),
      delayMs: 2,
    });
    const request = testRequest([user('Paris?')], { stream: true, maxOutputTokens: 256 });
    const reply = await send(request);
    assert.equal(reply.status, 200);
    assert.deepEqual(await collect(adapter.parseStream(reply.body, request)), [
      { type: 'response-start', id: 'msg_01E2E', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', index: 0, delta: 'Hel' },
      { type: 'text-delta', index: 0, delta: 'lo' },
      { type: 'block-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_01E2E', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
      { type: 'block-end', index: 1 },
      {
        type: 'response-end',
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 24, outputTokens: 15, cacheReadTokens: 4, cacheWriteTokens: 0 },
      },
    ]);
    const [recorded] = server.requests;
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/v1/messages');
    assert.equal(recorded.headers['x-api-key'], 'sk-ant-test-key');
    assert.equal(recorded.headers['anthropic-version'], '2023-06-01');
    assert.deepEqual(recorded.json, {
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 256,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Paris?' }] }],
      stream: true,
    });
  });

  it('parses a complete reply with thinking', async () => {
    server.enqueue({
      body: anthropicMessage({
        id: 'msg_01Full',
        thinking: { text: 'Easy.', signature: 'sig-1' },
        text: '4',
      }),
    });
    const request = testRequest([user('2+2?')]);
    const reply = await send(request);
    assert.deepEqual(adapter.parseResponse(await reply.body.json(), request), {
      id: 'msg_01Full',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'reasoning', text: 'Easy.', signature: 'sig-1', signatureProtocol: 'anthropic-messages' },
        { type: 'text', text: '4' },
      ],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it('maps an HTTP 529 with retry-after', async () => {
    server.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded', { 'retry-after': '3' }));
    const reply = await send(testRequest([user('hi')]));
    const error = adapter.parseError(reply.status, await reply.body.text(), reply.headers, target());
    assert.deepEqual(
      {
        code: error.code,
        status: error.status,
        retryable: error.retryable,
        type: error.type,
        retryAfter: error.retryAfter,
      },
      { code: 'upstream_overloaded', status: 529, retryable: true, type: 'overloaded_error', retryAfter: 3 },
    );
  });

  it('ends with the error event sent mid-stream', async () => {
    const chunks = anthropicStream({ id: 'msg_01Mid', text: ['Once', ' upon'] });
    // message_start, content_block_start, ping, first text delta, then the error
    server.enqueue({
      chunks: [...chunks.slice(0, 4), anthropicErrorEvent('api_error', 'Internal server error')],
    });
    const request = testRequest([user('story')], { stream: true });
    const events = await collect(adapter.parseStream((await send(request)).body, request));
    assert.deepEqual(events, [
      { type: 'response-start', id: 'msg_01Mid', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', index: 0, delta: 'Once' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } },
      {
        type: 'error',
        error: new GatewayError('upstream_unavailable', 'Internal server error', {
          status: 500,
          retryable: true,
          upstreamType: 'api_error',
        }),
      },
    ]);
  });

  it('ends with upstream_stream_broken when the connection dies mid-stream', async () => {
    server.enqueue({
      chunks: anthropicStream({ id: 'msg_01Die', text: ['a', 'b', 'c'] }),
      dieAfterChunks: 4,
      delayMs: 15,
    });
    const request = testRequest([user('abc')], { stream: true });
    const events = await collect(adapter.parseStream((await send(request)).body, request));
    assert.deepEqual(events.slice(0, 3), [
      { type: 'response-start', id: 'msg_01Die', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', index: 0, delta: 'a' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } },
    ]);
    assert.equal(events.length, 4);
    const last = events[3];
    assert.equal(last.type, 'error');
    assert.equal(last.type === 'error' && last.error.code, 'upstream_stream_broken');
  });
});
