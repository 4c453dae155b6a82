// Vertex replies over real HTTP (fake token endpoint + fake Vertex): Gemini and Claude shapes are told apart.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { anthropicError, anthropicMessage, anthropicStream } from '../../../test/fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import { geminiJsonReply, geminiRateLimited, geminiTextStream } from '../../../test/fakes/gemini.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sendUpstream } from '../../transport/http-client.ts';
import { createVertexAdapter } from './index.ts';
import { makeServiceAccount, tokenEndpoint, vertexContext, vertexInstance } from './test-helpers.ts';

const ask: CanonicalRequest = {
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  maxOutputTokens: 50,
  stream: false,
  extra: {},
};

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('vertex over HTTP', () => {
  let tokens: FakeServer;
  let upstream: FakeServer;
  let credentialsFile: string;
  const adapter = createVertexAdapter();

  before(async () => {
    tokens = await startFakeServer();
    upstream = await startFakeServer();
    const account = makeServiceAccount(`${tokens.url}/token`);
    credentialsFile = account.file;
    tokens.setFallback(tokenEndpoint(account.publicKey).reply);
  });
  after(async () => {
    await tokens.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  const context = (model: string) => vertexContext(vertexInstance(upstream, { credentialsFile }), model);

  async function call(model: string, request: CanonicalRequest) {
    const built = await adapter.buildRequest(request, context(model));
    return sendUpstream(built);
  }

  it('Gemini stream on Vertex: bearer token sent, events parsed', async () => {
    upstream.enqueue(geminiTextStream(['Hel', 'lo'], { usage: { prompt: 4, candidates: 2 } }));
    const reply = await call('gemini-2.5-flash', { ...ask, stream: true });
    const events = await collect(adapter.parseStream(reply.body, ask));
    const usage = { inputTokens: 4, outputTokens: 2 };
    assert.deepEqual(events, [
      { type: 'response-start', id: 'fake-gemini-response-1', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'Hel' },
      { type: 'text-delta', index: 0, delta: 'lo' },
      { type: 'block-end', index: 0 },
      // the fake ends like Gemini's own text streams: an empty text part carrying the thoughtSignature
      {
        type: 'reasoning-signature',
        index: 1,
        signature: 'ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ==',
        signatureProtocol: 'gemini',
      },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage },
      { type: 'response-end', finishReason: 'stop', rawFinishReason: 'STOP', usage },
    ]);
    assert.equal(
      upstream.requests[0].url,
      '/v1/projects/demo-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer token-1');
  });

  it('Claude stream on Vertex is parsed as Anthropic Messages', async () => {
    upstream.enqueue({
      status: 200,
      chunks: anthropicStream({ text: ['Hi ', 'there'], usage: { input_tokens: 9, output_tokens: 3 } }),
    });
    const reply = await call('claude-sonnet-4-5@20250929', { ...ask, stream: true });
    const events = await collect(adapter.parseStream(reply.body, ask));
    const types = events.map((event) => event.type);
    assert.equal(types[0], 'response-start');
    assert.deepEqual(
      events.filter((event) => event.type === 'text-delta'),
      [
        { type: 'text-delta', index: 0, delta: 'Hi ' },
        { type: 'text-delta', index: 0, delta: 'there' },
      ],
    );
    const end = events.at(-1);
    assert.equal(end?.type === 'response-end' && end.finishReason, 'stop');
    assert.equal(
      upstream.requests[0].url,
      '/v1/projects/demo-project/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict',
    );
  });

  it('JSON replies: Gemini and Claude shapes', async () => {
    upstream.enqueue(geminiJsonReply({ parts: [{ text: 'G' }], usage: { prompt: 1, candidates: 1 } }));
    upstream.enqueue({
      status: 200,
      body: anthropicMessage({ text: 'C', usage: { input_tokens: 2, output_tokens: 1 } }),
    });
    const gemini = await call('gemini-2.5-flash', ask);
    assert.deepEqual(adapter.parseResponse(await gemini.body.json(), ask).content, [
      { type: 'text', text: 'G' },
    ]);
    const claude = await call('claude-haiku-4-5', ask);
    const parsed = adapter.parseResponse(await claude.body.json(), ask);
    assert.deepEqual(parsed.content, [{ type: 'text', text: 'C' }]);
    assert.equal(parsed.finishReason, 'stop');
  });

  it('errors: Google RPC bodies and Anthropic bodies', async () => {
    upstream.enqueue(geminiRateLimited(20), anthropicError(529, 'overloaded_error', 'Overloaded'));
    const limited = await call('gemini-2.5-flash', ask);
    const first = adapter.parseError(
      limited.status,
      await limited.body.text(),
      limited.headers,
      context('gemini-2.5-flash').target,
    );
    assert.deepEqual(
      {
        code: first.code,
        status: first.status,
        type: first.upstreamType,
        retryAfter: first.retryAfter,
        provider: first.provider,
      },
      { code: 'rate_limited', status: 429, type: 'RESOURCE_EXHAUSTED', retryAfter: 20, provider: 'vertex' },
    );
    const overloaded = await call('claude-haiku-4-5', ask);
    const second = adapter.parseError(
      overloaded.status,
      await overloaded.body.text(),
      overloaded.headers,
      context('claude-haiku-4-5').target,
    );
    assert.deepEqual(
      { code: second.code, status: second.status, type: second.upstreamType, retryable: second.retryable },
      { code: 'upstream_overloaded', status: 529, type: 'overloaded_error', retryable: true },
    );
  });

  it('an empty stream body is a broken stream', async () => {
    async function* empty(): AsyncGenerator<Uint8Array> {}
    const events = await collect(adapter.parseStream(empty(), ask));
    assert.equal(events.length, 1);
    assert.equal(events[0].type === 'error' && events[0].error.code, 'upstream_stream_broken');
  });

  it('the protocol is recognised even when the first bytes arrive one at a time', async () => {
    const text = anthropicStream({ text: 'ok' }).join('');
    async function* trickle(): AsyncGenerator<Uint8Array> {
      for (const byte of new TextEncoder().encode(text)) yield new Uint8Array([byte]);
    }
    const events = await collect(adapter.parseStream(trickle(), ask));
    assert.deepEqual(
      events.filter((event) => event.type === 'text-delta'),
      [{ type: 'text-delta', index: 0, delta: 'ok' }],
    );
    assert.equal(events.at(-1)?.type, 'response-end');
  });
});

describe('vertex stream that fails before its first bytes', () => {
  it('ends with an error event instead of throwing', async () => {
    const failed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failed) }),
    };
    const events = await collect(createVertexAdapter().parseStream(body, { ...ask, stream: true }));
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event.type === 'error');
    assert.deepEqual(
      [event.error.code, event.error.message, event.error.retryable],
      ['upstream_stream_broken', 'Vertex AI connection failed mid-stream', true],
    );
  });
});
