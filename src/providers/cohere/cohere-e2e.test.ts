// The adapter against a fake Cohere server over real HTTP: build → send → parse.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cohereErrorReply, cohereJsonReply, cohereStreamReply } from '../../../test/fakes/cohere.ts';
import { type FakeServer, startFakeServer } from '../../../test/fakes/fake-server.ts';
import { type Target, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sendUpstream } from '../../transport/http-client.ts';
import cohere from './index.ts';

const { adapter } = cohere;
let server: FakeServer;
let target: Target;

before(async () => {
  server = await startFakeServer();
  const [instance] = cohere.fromEnv({ COHERE_API_KEY: 'co-e2e-key', COHERE_BASE_URL: `${server.url}/` });
  target = {
    provider: instance!,
    deployment: { provider: 'cohere', model: 'command-r7b-12-2024' },
    modelId: 'r7b',
  };
});
after(() => server.close());

function request(stream: boolean): CanonicalRequest {
  return {
    model: 'r7b',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Lyon?' }] }],
    tools: [{ name: 'forecast', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    stream,
    extra: {},
  };
}

async function call(canonical: CanonicalRequest) {
  const upstream = await adapter.buildRequest(canonical, { target, warnings: new Warnings() });
  return sendUpstream(upstream, { provider: 'cohere' });
}

async function streamEvents(canonical: CanonicalRequest): Promise<StreamEvent[]> {
  const reply = await call(canonical);
  assert.equal(reply.status, 200);
  const events: StreamEvent[] = [];
  for await (const event of adapter.parseStream(reply.body, canonical)) events.push(event);
  return events;
}

describe('cohere end to end', () => {
  test('JSON reply: the server saw the v2 body with bearer auth', async () => {
    server.reset();
    server.enqueue(
      cohereJsonReply({
        id: 'r-1',
        toolPlan: 'I will check the forecast.',
        toolCalls: [{ id: 'forecast_1', name: 'forecast', arguments: '{"city":"Lyon"}' }],
        usage: { input: 900, output: 40, cached: 512 },
      }),
    );
    const canonical = request(false);
    const reply = await call(canonical);
    const response = adapter.parseResponse(await reply.body.json(), canonical);
    assert.deepEqual(response, {
      id: 'r-1',
      model: 'r7b',
      content: [
        { type: 'text', text: 'I will check the forecast.' },
        { type: 'tool-call', id: 'forecast_1', name: 'forecast', arguments: '{"city":"Lyon"}' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'TOOL_CALL',
      usage: { inputTokens: 900, outputTokens: 40, cacheReadTokens: 512 },
    });
    const seen = server.requests[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v2/chat');
    assert.equal(seen.headers.authorization, 'Bearer co-e2e-key');
    assert.deepEqual(seen.json, {
      model: 'command-r7b-12-2024',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Lyon?' }] }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'forecast',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      stream: false,
    });
  });

  test('SSE reply with delays: thinking, text, finish and usage', async () => {
    server.reset();
    server.enqueue(
      cohereStreamReply(
        { id: 'r-2', thinking: 'Easy.', text: 'Sunny in Lyon.', usage: { input: 50, output: 9 } },
        { delayMs: 2 },
      ),
    );
    assert.deepEqual(await streamEvents(request(true)), [
      { type: 'response-start', id: 'r-2', model: 'r7b' },
      { type: 'reasoning-delta', index: 0, delta: 'Easy.' },
      { type: 'block-end', index: 0 },
      { type: 'text-delta', index: 1, delta: 'Sunny' },
      { type: 'text-delta', index: 1, delta: ' in' },
      { type: 'text-delta', index: 1, delta: ' Lyon.' },
      { type: 'block-end', index: 1 },
      { type: 'usage', usage: { inputTokens: 50, outputTokens: 9 } },
      {
        type: 'response-end',
        finishReason: 'stop',
        rawFinishReason: 'COMPLETE',
        usage: { inputTokens: 50, outputTokens: 9 },
      },
    ]);
    assert.equal((server.requests[0]!.json as { stream: boolean }).stream, true);
  });

  test('SSE tool call with arguments in fragments', async () => {
    server.reset();
    server.enqueue(
      cohereStreamReply({
        id: 'r-3',
        toolCalls: [{ id: 'forecast_9', name: 'forecast', arguments: '{"city":"Lyon, France"}' }],
      }),
    );
    const events = await streamEvents(request(true));
    const args = events
      .filter(
        (event): event is Extract<StreamEvent, { type: 'tool-call-delta' }> =>
          event.type === 'tool-call-delta',
      )
      .map((event) => event.argumentsDelta);
    assert.deepEqual(args, ['{"city":', '"Lyon, F', 'rance"}']);
    assert.deepEqual(events[1], { type: 'tool-call-start', index: 0, id: 'forecast_9', name: 'forecast' });
    assert.equal(events.at(-1)?.type, 'response-end');
  });

  test('upstream dies mid-stream → error event, never a clean end', async () => {
    server.reset();
    server.enqueue(cohereStreamReply({ text: 'a b c d e f' }, { dieAfterChunks: 4 }));
    const events = await streamEvents(request(true));
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(
      events.some((event) => event.type === 'response-end'),
      false,
    );
  });

  test('stream without message-end → upstream_stream_broken', async () => {
    server.reset();
    server.enqueue(cohereStreamReply({ text: 'partial answer' }, { omitEnd: true }));
    const last = (await streamEvents(request(true))).at(-1);
    assert.equal(last?.type === 'error' && last.error.code, 'upstream_stream_broken');
  });

  test('HTTP error reply → parseError keeps the status and message', async () => {
    server.reset();
    server.enqueue(cohereErrorReply(429, 'too many requests', { 'retry-after': '3' }));
    const reply = await call(request(false));
    const error = adapter.parseError(reply.status, await reply.body.text(), reply.headers, target);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.message, 'too many requests');
    assert.equal(error.retryAfter, 3);
    assert.equal(error.retryable, true);
  });
});
