import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sseFrame } from '../../transport/sse.ts';
import { parseAnthropicStream } from './parse-stream.ts';
import { chunked, collect, fixtureText, testRequest, user } from './test-helpers.ts';

const plain = testRequest([user('q')], { stream: true });

async function parseFixture(name: string, request = plain, chunkSize = 37): Promise<StreamEvent[]> {
  return collect(parseAnthropicStream(chunked(fixtureText(name), chunkSize), request));
}

describe('parseAnthropicStream transcripts', () => {
  it('text stream', async () => {
    assert.deepEqual(await parseFixture('stream-text.sse'), [
      { type: 'response-start', id: 'msg_01TxtStreamA1b2C3d4E5f6G7', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', index: 0, delta: 'The capital' },
      { type: 'text-delta', index: 0, delta: ' of France is' },
      { type: 'text-delta', index: 0, delta: ' Paris.' },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 2_125, outputTokens: 9, cacheReadTokens: 2_000, cacheWriteTokens: 100 },
      },
    ]);
  });

  it('the same events whatever the network chunking', async () => {
    const whole = await parseFixture('stream-tool-use.sse', plain, 1 << 20);
    assert.deepEqual(await parseFixture('stream-tool-use.sse', plain, 1), whole);
    assert.deepEqual(await parseFixture('stream-tool-use.sse', plain, 5), whole);
  });

  it('tool-use stream, including a tool called without arguments', async () => {
    assert.deepEqual(await parseFixture('stream-tool-use.sse'), [
      { type: 'response-start', id: 'msg_01ToolStreamQ9w8E7r6T5y4', model: 'claude-haiku-4-5-20251001' },
      { type: 'text-delta', index: 0, delta: 'Let me look up both' },
      { type: 'text-delta', index: 0, delta: ' things.' },
      { type: 'block-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_01AbCdEfGhIjKlMnOpQrStUv', name: 'get_stock_price' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tick' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: 'er": "AC' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: 'ME"}' },
      { type: 'block-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'toolu_01ZyXwVuTsRqPoNmLkJiHgFe', name: 'get_time' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
      { type: 'block-end', index: 2 },
      {
        type: 'response-end',
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 512, outputTokens: 88, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
  });

  it('thinking stream with a signature and a redacted block', async () => {
    assert.deepEqual(await parseFixture('stream-thinking.sse'), [
      { type: 'response-start', id: 'msg_01ThinkStreamZ1x2C3v4B5n6', model: 'claude-sonnet-4-5-20250929' },
      { type: 'reasoning-delta', index: 0, delta: 'The user wants 17 * 23.' },
      { type: 'reasoning-delta', index: 0, delta: ' 17 * 20 = 340, 17 * 3 = 51, total 391.' },
      {
        type: 'reasoning-signature',
        index: 0,
        signature: 'ErUBCkYIBhgCIkB0c2lnbmF0dXJlLWZvci10aGUtdGhpbmtpbmctYmxvY2s=',
        signatureProtocol: 'anthropic-messages',
      },
      { type: 'block-end', index: 0 },
      {
        type: 'reasoning-signature',
        index: 1,
        signature: '',
        redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
        signatureProtocol: 'anthropic-messages',
      },
      { type: 'block-end', index: 1 },
      { type: 'text-delta', index: 2, delta: '17 × 23 = 391.' },
      { type: 'block-end', index: 2 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 48, outputTokens: 142, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
  });

  it('error event ends the stream with the usage so far and a retryable 529', async () => {
    assert.deepEqual(await parseFixture('stream-error-event.sse'), [
      { type: 'response-start', id: 'msg_01ErrStreamM1n2B3v4C5x6', model: 'claude-opus-4-1-20250805' },
      { type: 'text-delta', index: 0, delta: 'Once upon' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } },
      {
        type: 'error',
        error: new GatewayError('upstream_overloaded', 'Overloaded', {
          status: 529,
          retryable: true,
          upstreamType: 'overloaded_error',
        }),
      },
    ]);
  });

  it('a stream that ends without message_stop ends with upstream_stream_broken', async () => {
    assert.deepEqual(await parseFixture('stream-truncated.sse'), [
      { type: 'response-start', id: 'msg_01CutStreamP0o9I8u7Y6t5', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', index: 0, delta: 'Counting: one, two,' },
      { type: 'text-delta', index: 0, delta: ' three' },
      { type: 'usage', usage: { inputTokens: 20, outputTokens: 1, cacheReadTokens: 6, cacheWriteTokens: 0 } },
      {
        type: 'error',
        error: new GatewayError('upstream_stream_broken', 'Anthropic stream ended before message_stop'),
      },
    ]);
  });

  it('forced JSON tool streams as text and finishes with stop', async () => {
    const request = testRequest([user('Lyon')], {
      stream: true,
      responseFormat: { type: 'json-schema', name: 'city_report', schema: { type: 'object' } },
    });
    assert.deepEqual(await parseFixture('stream-json-tool.sse', request), [
      { type: 'response-start', id: 'msg_01JsonStreamK8j7H6g5F4d3', model: 'claude-haiku-4-5-20251001' },
      { type: 'text-delta', index: 0, delta: '{"city": "Lyon"' },
      { type: 'text-delta', index: 0, delta: ', "population": 522000}' },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'tool_use',
        usage: { inputTokens: 640, outputTokens: 31, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    ]);
  });

  it('takes the last usage values, including input tokens resent in message_delta', async () => {
    assert.deepEqual(await parseFixture('stream-message-delta-usage.sse'), [
      {
        type: 'response-start',
        id: 'msg_7f0c2a9d41b84e1e9a3c5d6e7f8a9b0c',
        model: 'claude-opus-4-5-20251101',
      },
      { type: 'text-delta', index: 0, delta: 'ok' },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'length',
        rawFinishReason: 'max_tokens',
        usage: { inputTokens: 42, outputTokens: 3, cacheReadTokens: 5 },
      },
    ]);
  });
});

describe('parseAnthropicStream edge cases', () => {
  function frames(...payloads: Array<Record<string, unknown>>): AsyncGenerator<Uint8Array> {
    return chunked(
      payloads.map((payload) => sseFrame(JSON.stringify(payload), String(payload.type))).join(''),
    );
  }
  const start = {
    type: 'message_start',
    message: {
      id: 'msg_x',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [],
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  };

  it('numbers canonical blocks without gaps when server tool blocks are skipped', async () => {
    const events = await collect(
      parseAnthropicStream(
        frames(
          start,
          {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
          },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' },
          },
          { type: 'content_block_stop', index: 0 },
          { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
          { type: 'content_block_stop', index: 1 },
          { type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'Hi' } },
          { type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } },
          { type: 'content_block_stop', index: 2 },
          { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } },
          { type: 'message_stop' },
        ),
        plain,
      ),
    );
    assert.deepEqual(events, [
      { type: 'response-start', id: 'msg_x', model: 'm' },
      { type: 'text-delta', index: 0, delta: 'Hi' },
      { type: 'block-end', index: 0 },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 5, outputTokens: 4 },
      },
    ]);
  });

  it('an unreadable event ends the stream with an error', async () => {
    const body = chunked(
      `${sseFrame(JSON.stringify(start), 'message_start')}event: content_block_start\ndata: {oops\n\n`,
    );
    assert.deepEqual(await collect(parseAnthropicStream(body, plain)), [
      { type: 'response-start', id: 'msg_x', model: 'm' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 1 } },
      {
        type: 'error',
        error: new GatewayError('upstream_stream_broken', 'Anthropic sent a stream event that is not JSON'),
      },
    ]);
  });

  it('an empty body is a broken stream, not a clean end', async () => {
    assert.deepEqual(await collect(parseAnthropicStream(chunked(''), plain)), [
      {
        type: 'error',
        error: new GatewayError('upstream_stream_broken', 'Anthropic stream ended before message_stop'),
      },
    ]);
  });
});
