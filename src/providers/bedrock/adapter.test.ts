// The adapter against a fake Bedrock over real HTTP: signed requests, binary event-stream bodies
// delivered in arbitrary network chunks, JSON replies and HTTP errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bedrockErrorReply,
  concatBytes,
  converseJsonReply,
  converseStreamReply,
  encodeConverseStream,
  verifySigV4,
} from '../../../test/fakes/bedrock.ts';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import { type ProviderInstance, type Target, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sendUpstream } from '../../transport/http-client.ts';
import bedrock from './index.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIDFAKE',
  secretAccessKey: 'fake/secret+key',
  sessionToken: 'fake-session',
};
const MODEL = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';

let server: FakeServer;
let target: Target;

before(async () => {
  server = await startFakeServer();
  const [instance] = bedrock.fromEnv({
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    AWS_REGION: 'us-west-2',
    BEDROCK_BASE_URL: server.url,
  }) as [ProviderInstance];
  target = {
    provider: instance,
    deployment: { provider: 'bedrock', model: MODEL },
    modelId: 'claude-3-7-sonnet',
  };
});
after(() => server.close());

function request(stream: boolean): CanonicalRequest {
  return {
    model: 'claude-3-7-sonnet',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }],
    maxOutputTokens: 100,
    stream,
    extra: {},
  };
}

async function call(stream: boolean) {
  const upstream = await bedrock.adapter.buildRequest(request(stream), { target, warnings: new Warnings() });
  return sendUpstream(upstream);
}

describe('bedrock adapter over HTTP', () => {
  it('streams: signed request to converse-stream, frames split across chunks become events', async () => {
    const frames = encodeConverseStream([
      { 'event-type': 'messageStart', payload: { role: 'assistant' } },
      { 'event-type': 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Hi' } } },
      { 'event-type': 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: ' there' } } },
      { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { 'event-type': 'messageStop', payload: { stopReason: 'end_turn' } },
      { 'event-type': 'metadata', payload: { usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 } } },
    ]);
    const all = concatBytes(frames);
    // odd-sized network chunks: frames split and packed together
    const chunks = [all.slice(0, 7), all.slice(7, 250), all.slice(250, 251), all.slice(251)];
    server.enqueue(converseStreamReply(chunks, { delayMs: 2 }));

    const reply = await call(true);
    assert.equal(reply.status, 200);
    const events: StreamEvent[] = [];
    for await (const event of bedrock.adapter.parseStream(reply.body, request(true))) events.push(event);

    const recorded = server.requests.at(-1)!;
    assert.equal(recorded.url, '/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream');
    assert.equal(recorded.headers.accept, 'application/vnd.amazon.eventstream');
    assert.deepEqual(recorded.json, {
      messages: [{ role: 'user', content: [{ text: 'Say hi' }] }],
      inferenceConfig: { maxTokens: 100 },
    });
    const check = await verifySigV4(recorded, CREDENTIALS);
    assert.equal(check.valid, true, check.reason);
    assert.equal((await verifySigV4(recorded, { ...CREDENTIALS, secretAccessKey: 'other' })).valid, false);

    assert.deepEqual(
      events.map((event) => (event.type === 'response-start' ? { ...event, id: 'ID' } : event)),
      [
        { type: 'response-start', id: 'ID', model: 'claude-3-7-sonnet' },
        { type: 'text-delta', index: 0, delta: 'Hi' },
        { type: 'text-delta', index: 0, delta: ' there' },
        { type: 'block-end', index: 0 },
        {
          type: 'response-end',
          finishReason: 'stop',
          rawFinishReason: 'end_turn',
          usage: { inputTokens: 9, outputTokens: 3 },
        },
      ],
    );
  });

  it('a connection that dies mid-stream ends with a broken-stream error', async () => {
    const frames = encodeConverseStream([
      { 'event-type': 'messageStart', payload: { role: 'assistant' } },
      { 'event-type': 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'Hi' } } },
      { 'event-type': 'contentBlockStop', payload: { contentBlockIndex: 0 } },
    ]);
    server.enqueue(converseStreamReply(frames, { dieAfterChunks: 2, delayMs: 20 }));
    const reply = await call(true);
    const events: StreamEvent[] = [];
    for await (const event of bedrock.adapter.parseStream(reply.body, request(true))) events.push(event);
    assert.deepEqual(
      events.map((event) => event.type),
      ['response-start', 'text-delta', 'error'],
    );
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    assert.equal(last.error.code, 'upstream_stream_broken');
    assert.equal(last.error.retryable, true);
  });

  it('non-streamed: JSON reply parsed, signature valid', async () => {
    server.enqueue(
      converseJsonReply({ content: [{ text: 'Hello!' }], usage: { inputTokens: 9, outputTokens: 2 } }),
    );
    const reply = await call(false);
    const recorded = server.requests.at(-1)!;
    assert.equal(recorded.url, '/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse');
    assert.equal((await verifySigV4(recorded, CREDENTIALS)).valid, true);
    const { id, ...response } = bedrock.adapter.parseResponse(await reply.body.json(), request(false));
    assert.match(id, /^bedrock-/);
    assert.deepEqual(response, {
      model: 'claude-3-7-sonnet',
      content: [{ type: 'text', text: 'Hello!' }],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 9, outputTokens: 2 },
    });
  });

  it('HTTP errors keep the status and Bedrock error type', async () => {
    server.enqueue(
      bedrockErrorReply(429, 'ThrottlingException', 'Too many requests', { 'retry-after': '2' }),
    );
    const reply = await call(false);
    const error = bedrock.adapter.parseError(reply.status, await reply.body.text(), reply.headers, target);
    assert.deepEqual(
      [
        error.code,
        error.status,
        error.retryable,
        error.upstreamType,
        error.message,
        error.retryAfter,
        error.provider,
      ],
      ['rate_limited', 429, true, 'ThrottlingException', 'Too many requests', 2, 'bedrock'],
    );
  });
});
