// Through real HTTP: adapter-built requests sent by the transport to a fake Gemini, replies parsed back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import {
  geminiJsonReply,
  geminiRateLimited,
  geminiTextStream,
  geminiToolCallStream,
} from '../../../test/fakes/gemini.ts';
import { sendUpstream } from '../../transport/http-client.ts';
import gemini from './index.ts';
import { buildContext, collect, geminiInstance, request } from './test-helpers.ts';

describe('gemini over HTTP against the fake server', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());

  function context() {
    const base = buildContext();
    return { ...base, target: { ...base.target, provider: geminiInstance({ baseUrl: server.url }) } };
  }

  const ask = request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });

  it('a text stream arrives as canonical events; the key travels only in the header', async () => {
    server.reset();
    server.enqueue(geminiTextStream(['Hel', 'lo!'], { usage: { prompt: 3, candidates: 2, thoughts: 4 } }));
    const upstream = await gemini.adapter.buildRequest({ ...ask, stream: true }, context());
    const reply = await sendUpstream(upstream);
    const events = await collect(gemini.adapter.parseStream(reply.body, ask));
    const usage = { inputTokens: 3, outputTokens: 6, reasoningTokens: 4 };
    assert.deepEqual(events, [
      { type: 'response-start', id: 'fake-gemini-response-1', model: 'gemini-2.5-flash' },
      { type: 'text-delta', index: 0, delta: 'Hel' },
      { type: 'text-delta', index: 0, delta: 'lo!' },
      { type: 'block-end', index: 0 },
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
    const recorded = server.requests[0];
    assert.equal(recorded.url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(recorded.headers['x-goog-api-key'], 'test-key-123');
    assert.deepEqual(recorded.json, { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('a tool-call stream', async () => {
    server.reset();
    server.enqueue(geminiToolCallStream([{ name: 'lookup', args: { id: 3 } }]));
    const reply = await sendUpstream(await gemini.adapter.buildRequest({ ...ask, stream: true }, context()));
    const events = await collect(gemini.adapter.parseStream(reply.body, ask));
    assert.deepEqual(
      events.map((event) => event.type),
      ['response-start', 'tool-call-start', 'tool-call-delta', 'block-end', 'usage', 'response-end'],
    );
    const start = events[1];
    assert.equal(start.type === 'tool-call-start' && start.signature, 'ZmFrZS1jYWxsLXNpZ25hdHVyZQ==');
    assert.equal(events[5].type === 'response-end' && events[5].finishReason, 'tool-calls');
  });

  it('a stream cut mid-way ends with upstream_stream_broken', async () => {
    server.reset();
    server.enqueue({ ...geminiTextStream(['a', 'b', 'c']), dieAfterChunks: 2 });
    const reply = await sendUpstream(await gemini.adapter.buildRequest({ ...ask, stream: true }, context()));
    const events = await collect(gemini.adapter.parseStream(reply.body, ask));
    const last = events.at(-1);
    assert.equal(last?.type === 'error' && last.error.code, 'upstream_stream_broken');
  });

  it('a JSON reply and a 429 error', async () => {
    server.reset();
    server.enqueue(
      geminiJsonReply({ parts: [{ text: 'Hey' }], usage: { prompt: 2, candidates: 1 } }),
      geminiRateLimited(9),
    );
    const ok = await sendUpstream(await gemini.adapter.buildRequest(ask, context()));
    assert.deepEqual(gemini.adapter.parseResponse(await ok.body.json(), ask), {
      id: 'fake-gemini-response-1',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: 'Hey' }],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 2, outputTokens: 1 },
    });
    const failed = await sendUpstream(await gemini.adapter.buildRequest(ask, context()));
    const error = gemini.adapter.parseError(
      failed.status,
      await failed.body.text(),
      failed.headers,
      context().target,
    );
    assert.equal(error.status, 429);
    assert.equal(error.retryAfter, 9);
    assert.equal(error.upstreamType, 'RESOURCE_EXHAUSTED');
    assert.equal(server.requests[0].url, '/v1beta/models/gemini-2.5-flash:generateContent');
  });
});
