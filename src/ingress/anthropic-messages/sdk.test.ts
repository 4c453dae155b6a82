// The codec's output read back by the official Anthropic SDK, served from a local HTTP server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import type { AttemptTap, EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import codec from './index.ts';

const context: EncodeContext = { requestId: 'req_sdk', requestedModel: 'claude-sonnet-4-6' };
const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Weather in Lyon?' }],
};

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** the message as a client would serialise it (evaluates the SDK's lazy tool input) */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

const toolStream: StreamEvent[] = [
  { type: 'response-start', id: 'msg_01Lyon', model: 'claude-sonnet-4-5-20250929' },
  { type: 'reasoning-delta', index: 0, delta: 'Need the weather' },
  { type: 'reasoning-delta', index: 0, delta: ' tool.' },
  { type: 'reasoning-signature', index: 0, signature: 'ErUBCkYIBhgCIkB=' },
  { type: 'block-end', index: 0 },
  { type: 'text-delta', index: 1, delta: 'Let me ' },
  { type: 'text-delta', index: 1, delta: 'check.' },
  { type: 'block-end', index: 1 },
  { type: 'tool-call-start', index: 2, id: 'toolu_01Lyon', name: 'get_weather' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: '{"city": "Ly' },
  { type: 'tool-call-delta', index: 2, argumentsDelta: 'on", "units": ["C"]}' },
  { type: 'block-end', index: 2 },
  {
    type: 'usage',
    usage: { inputTokens: 2226, outputTokens: 87, cacheReadTokens: 2048, cacheWriteTokens: 120 },
  },
  { type: 'response-end', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
];

const expectedToolMessage = {
  id: 'msg_01Lyon',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'Need the weather tool.', signature: 'ErUBCkYIBhgCIkB=' },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_use', id: 'toolu_01Lyon', name: 'get_weather', input: { city: 'Lyon', units: ['C'] } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 58,
    cache_creation_input_tokens: 120,
    cache_read_input_tokens: 2048,
    output_tokens: 87,
  },
  // added by the SDK's MessageStream (structured-output helper), not by the wire
  parsed_output: null,
};

describe('anthropic-messages codec read by @anthropic-ai/sdk', () => {
  let server: FakeServer;
  let client: Anthropic;

  before(async () => {
    server = await startFakeServer();
    client = new Anthropic({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => server.reset());
  after(() => server.close());

  const serveStream = async (events: StreamEvent[]) =>
    server.enqueue({ chunks: await collect(codec.encodeStream(from(events), context)) });

  it('messages.stream().finalMessage() rebuilds thinking, text, tool input, usage and stop reason', async () => {
    await serveStream(toolStream);
    const stream = client.messages.stream({ ...params, thinking: { type: 'enabled', budget_tokens: 1024 } });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    assert.deepEqual(plain(await stream.finalMessage()), expectedToolMessage);
    assert.deepEqual(texts, ['Let me ', 'check.']);
    // and the SDK's own request body decodes
    const decoded = codec.decodeRequest(server.requests[0].json, {
      requestId: 'r',
      headers: server.requests[0].headers,
      path: '/v1/messages',
      query: new URLSearchParams(),
    });
    assert.deepEqual(decoded, {
      model: 'claude-sonnet-4-6',
      maxOutputTokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Lyon?' }] }],
      reasoning: { budgetTokens: 1024, includeThoughts: true },
      stream: true,
      extra: {},
    });
  });

  it('messages.create({stream:true}) yields every event type in order', async () => {
    await serveStream(toolStream);
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    assert.deepEqual(types, [
      'message_start',
      ...['content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta'],
      'content_block_stop',
      ...['content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop'],
      ...['content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta'],
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('messages.create() returns the encoded Message', async () => {
    const response: CanonicalResponse = {
      id: 'msg_01Create',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'reasoning', text: 'Simple.', signature: 'sig==' },
        { type: 'text', text: 'Hello!' },
      ],
      finishReason: 'stop',
      rawFinishReason: 'stop_sequence',
      usage: { inputTokens: 12, outputTokens: 29 },
    };
    const body = codec.encodeResponse(response, context);
    server.enqueue({ body });
    const message = await client.messages.create(params);
    assert.deepEqual(plain(message), {
      id: 'msg_01Create',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Simple.', signature: 'sig==' },
        { type: 'text', text: 'Hello!' },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: null,
      usage: {
        input_tokens: 12,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 29,
      },
    });
  });

  const serveError = (error: GatewayError) => {
    const { status, body } = codec.encodeError(error);
    server.enqueue({ status, body });
  };

  it('an encoded error becomes the SDK typed error', async () => {
    const cases: Array<[GatewayError, new (...args: never[]) => APIError, number, string]> = [
      [new GatewayError('rate_limited', 'Slow down'), Anthropic.RateLimitError, 429, 'rate_limit_error'],
      [
        new GatewayError('invalid_request', 'max_tokens: field required'),
        Anthropic.BadRequestError,
        400,
        'invalid_request_error',
      ],
      [
        new GatewayError('unauthorized', 'Invalid API key'),
        Anthropic.AuthenticationError,
        401,
        'authentication_error',
      ],
      [new GatewayError('model_not_found', 'Unknown model'), Anthropic.NotFoundError, 404, 'not_found_error'],
      [
        new GatewayError('upstream_overloaded', 'Overloaded'),
        Anthropic.InternalServerError,
        529,
        'overloaded_error',
      ],
    ];
    for (const [error, ErrorClass, status, type] of cases) {
      serveError(error);
      await assert.rejects(client.messages.create(params), (thrown: unknown) => {
        assert.ok(thrown instanceof ErrorClass, `${type} is a ${ErrorClass.name}`);
        assert.equal(thrown.status, status);
        assert.equal(thrown.type, type);
        assert.equal(thrown.apiMessage, error.message);
        return true;
      });
    }
  });

  it('an error event mid-stream rejects the stream with the typed API error', async () => {
    await serveStream([
      { type: 'response-start', id: 'msg_e', model: 'm' },
      { type: 'text-delta', index: 0, delta: 'Hal' },
      { type: 'error', error: new GatewayError('upstream_overloaded', 'Overloaded') },
    ]);
    await assert.rejects(client.messages.stream(params).finalMessage(), (thrown: unknown) => {
      assert.ok(thrown instanceof Anthropic.APIError);
      assert.equal(thrown.type, 'overloaded_error');
      assert.equal(thrown.apiMessage, 'Overloaded');
      return true;
    });
  });

  it('a stream that ends without response-end is an error, never a clean message', async () => {
    await serveStream([
      { type: 'response-start', id: 'msg_cut', model: 'm' },
      { type: 'text-delta', index: 0, delta: 'half' },
    ]);
    await assert.rejects(client.messages.stream(params).finalMessage(), (thrown: unknown) => {
      assert.ok(thrown instanceof Anthropic.APIError);
      assert.equal(thrown.type, 'api_error');
      return true;
    });
  });

  describe('passthrough', () => {
    const transcript = readFileSync(new URL('./__fixtures__/stream-thinking-tool-use.sse', import.meta.url));
    const noopTap: AttemptTap = {
      onFirstByte() {},
      onUsage() {},
      onFinish() {},
      onResponseModel() {},
    };
    const tapped = (bytes: Uint8Array, size: number) => {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      return collect(
        codec.passthrough!.tapStream(from(chunks), noopTap, { requestId: 'r', stripUsage: false }),
      );
    };

    it('tapped bytes still read as the upstream message', async () => {
      server.enqueue({ chunks: await tapped(transcript, 33) });
      assert.deepEqual(plain(await client.messages.stream(params).finalMessage()), {
        id: 'msg_01Swy7ThinkTool',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          {
            type: 'thinking',
            thinking: "The user wants Lyon's weather; I will call the tool.",
            signature: 'ErUBCkYIBhgCIkBswy7sigAAAA==',
          },
          { type: 'text', text: 'Let me look that up.' },
          { type: 'tool_use', id: 'toolu_01SwyLyonWeather', name: 'get_weather', input: { city: 'Lyon' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: {
          input_tokens: 58,
          cache_creation_input_tokens: 120,
          cache_read_input_tokens: 2048,
          output_tokens: 87,
          service_tier: 'standard',
        },
        parsed_output: null,
      });
    });

    it('a truncated upstream reaches the SDK as a typed API error', async () => {
      const cut = transcript.indexOf('event: message_delta');
      server.enqueue({ chunks: await tapped(transcript.subarray(0, cut), 40) });
      await assert.rejects(client.messages.stream(params).finalMessage(), (thrown: unknown) => {
        assert.ok(thrown instanceof Anthropic.APIError);
        assert.equal(thrown.type, 'api_error');
        assert.equal(thrown.apiMessage, 'The upstream stream ended before the response was complete');
        return true;
      });
    });
  });
});
