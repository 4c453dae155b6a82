// The provider conformance suite: every provider adapter joins the same scenarios, run through its own
// buildRequest → sendUpstream (real HTTP to a fake upstream speaking its wire format) → parseResponse /
// parseStream / parseError. A provider that cannot do a scenario is skipped with the reason.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Target, Warnings } from '../../src/core/adapters.ts';
import type { CanonicalRequest, CanonicalResponse, Usage } from '../../src/core/canonical.ts';
import { GatewayError } from '../../src/core/errors.ts';
import type { StreamEvent } from '../../src/core/stream-events.ts';
import { createImageFetcher, type ImageFetcher } from '../../src/transport/fetch-image.ts';
import { sendUpstream } from '../../src/transport/http-client.ts';
import { type FakeServer, type ScriptedReply, startFakeServer } from '../fakes/fake-server.ts';
import { type FoldedStream, foldEvents } from './fold-events.ts';
import {
  CALL,
  CITY,
  PROVIDER_CASES,
  REASONING_PIECES,
  RETRY_AFTER_SECONDS,
  TEXT,
  TEXT_PIECES,
} from './provider-cases.ts';

const CITY_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  required: ['city', 'population'],
};

function request(stream: boolean, extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'conformance-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }],
    maxOutputTokens: 4096,
    stream,
    extra: {},
    ...extra,
  };
}

const withTool = (stream: boolean) =>
  request(stream, {
    tools: [
      {
        name: CALL.name,
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } },
      },
    ],
  });

const withSchema = (stream: boolean) =>
  request(stream, { responseFormat: { type: 'json-schema', name: 'city_info', schema: CITY_SCHEMA } });

/** The usage every text reply carries, normalised: cache reads inside the input tokens. */
const TEXT_USAGE = { inputTokens: 12, outputTokens: 7, cacheReadTokens: 4 };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let images: FakeServer;
before(async () => {
  images = await startFakeServer({ status: 404 });
});
after(() => images.close());

const coreUsage = (usage: Usage | undefined) => ({
  inputTokens: usage?.inputTokens,
  outputTokens: usage?.outputTokens,
  cacheReadTokens: usage?.cacheReadTokens,
});

for (const providerCase of PROVIDER_CASES) {
  describe(`provider conformance: ${providerCase.name}`, () => {
    let target: Target;
    let upstream: FakeServer;
    let close: () => Promise<void>;

    before(async () => {
      ({ target, upstream, close } = await providerCase.setup());
    });
    after(() => close());
    beforeEach(() => upstream.reset());

    async function send(canonical: CanonicalRequest, reply: ScriptedReply, fetchImage?: ImageFetcher) {
      upstream.enqueue(reply);
      const { adapter } = providerCase;
      const built = await adapter.buildRequest(canonical, { target, warnings: new Warnings(), fetchImage });
      const answer = await sendUpstream(built, { provider: target.provider.id });
      assert.equal(upstream.requests.length, 1, 'exactly one upstream request');
      assert.equal(
        providerCase.askedToStream(upstream.requests[0]),
        canonical.stream,
        'stream mode upstream',
      );
      return answer;
    }

    async function plain(canonical: CanonicalRequest, reply: ScriptedReply): Promise<CanonicalResponse> {
      const answer = await send(canonical, reply);
      assert.equal(answer.status, 200);
      return providerCase.adapter.parseResponse(await answer.body.json(), canonical);
    }

    async function streamed(canonical: CanonicalRequest, reply: ScriptedReply): Promise<FoldedStream> {
      const answer = await send(canonical, reply);
      assert.equal(answer.status, 200);
      const events: StreamEvent[] = [];
      for await (const event of providerCase.adapter.parseStream(answer.body, canonical)) events.push(event);
      return foldEvents(events);
    }

    const textOf = (response: CanonicalResponse) =>
      response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

    test('text, plain', async () => {
      const response = await plain(request(false), providerCase.text(false));
      assert.deepEqual(
        response.content.filter((part) => part.type !== 'reasoning'),
        [{ type: 'text', text: TEXT }],
      );
      assert.equal(response.finishReason, 'stop');
      assert.deepEqual(coreUsage(response.usage), TEXT_USAGE);
    });

    test('text, streamed', async () => {
      const folded = await streamed(request(true), providerCase.text(true));
      assert.deepEqual(
        { text: folded.text, toolCalls: folded.toolCalls, finish: folded.finishReason, error: folded.error },
        { text: TEXT, toolCalls: [], finish: 'stop', error: undefined },
      );
      assert.deepEqual(coreUsage(folded.usage), TEXT_USAGE);
    });

    function assertCall(call: { id: string; name: string; arguments: string } | undefined) {
      assert.ok(call, 'no tool call');
      if (providerCase.madeUpToolIds) assert.match(call.id, /^call_\w+$/);
      else assert.equal(call.id, CALL.id);
      assert.equal(call.name, CALL.name);
      assert.deepEqual(JSON.parse(call.arguments), CALL.args);
    }

    test('tool call, plain', async () => {
      const response = await plain(withTool(false), providerCase.toolCall(false));
      const calls = response.content.filter((part) => part.type === 'tool-call');
      assert.equal(calls.length, 1);
      assertCall(calls[0]);
      assert.equal(response.finishReason, 'tool-calls');
    });

    test('tool call, streamed', async () => {
      const folded = await streamed(withTool(true), providerCase.toolCall(true));
      assert.equal(folded.toolCalls.length, 1);
      assertCall(folded.toolCalls[0]);
      assert.equal(folded.finishReason, 'tool-calls');
      assert.equal(folded.error, undefined);
    });

    test('json schema, plain and streamed: the answer is the JSON text, finish stop', async () => {
      const response = await plain(withSchema(false), providerCase.json(false));
      assert.deepEqual(JSON.parse(textOf(response)), CITY);
      assert.equal(response.content.filter((part) => part.type === 'tool-call').length, 0);
      assert.equal(response.finishReason, 'stop');
      upstream.reset();
      const folded = await streamed(withSchema(true), providerCase.json(true));
      assert.deepEqual(JSON.parse(folded.text), CITY);
      assert.deepEqual([folded.toolCalls, folded.finishReason], [[], 'stop']);
    });

    test('reasoning, streamed', async (t) => {
      const reason = providerCase.skip?.['reasoning-stream'];
      if (reason || !providerCase.reasoning) {
        t.skip(reason ?? 'no reasoning reply for this provider');
        return;
      }
      const folded = await streamed(
        request(true, { reasoning: { effort: 'low' } }),
        providerCase.reasoning(),
      );
      assert.deepEqual(
        [folded.reasoning, folded.text, folded.finishReason],
        [REASONING_PIECES.join(''), TEXT_PIECES.join(''), 'stop'],
      );
    });

    test('an image given by URL reaches the provider as a URL, or fetched and inlined', async (t) => {
      const reason = providerCase.skip?.['image-url'];
      const expectation = providerCase.image;
      if (reason || !expectation) {
        t.skip(reason ?? 'no image expectation for this provider');
        return;
      }
      images.reset();
      images.enqueue({ headers: { 'content-type': 'image/png' }, body: PNG });
      const url = `${images.url}/cat.png`;
      const canonical = request(false, {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', source: { kind: 'url', url } },
            ],
          },
        ],
      });
      // the fake image host listens on loopback, which only a test may reach
      await send(canonical, providerCase.text(false), createImageFetcher({ allowPrivate: true }));
      const parts = expectation.userParts(upstream.requests[0].json);
      assert.deepEqual(parts.at(-1), expectation.part(url, 'image/png', PNG.toString('base64')));
      assert.equal(images.requests.length, expectation.fetched ? 1 : 0);
    });

    test('upstream 429 → a retryable rate_limited GatewayError keeping the status and retry-after', async () => {
      const answer = await send(request(false), providerCase.rateLimited());
      assert.equal(answer.status, 429);
      const error = providerCase.adapter.parseError(
        answer.status,
        await answer.body.text(),
        answer.headers,
        target,
      );
      assert.ok(error instanceof GatewayError);
      assert.deepEqual(
        [error.code, error.status, error.retryable, error.retryAfter, error.provider],
        ['rate_limited', 429, true, RETRY_AFTER_SECONDS, target.provider.id],
      );
      assert.ok(error.message.length > 0);
    });

    test('a stream that ends before the provider finished → an error event, never a clean end', async () => {
      const folded = await streamed(request(true), providerCase.truncated());
      assert.ok(folded.error instanceof GatewayError, 'no error event');
      assert.equal(folded.finishReason, undefined);
      assert.equal(folded.error.retryable, true);
    });

    test('a connection that dies mid-stream → an error event', async () => {
      const folded = await streamed(request(true), { ...providerCase.text(true), dieAfterChunks: 2 });
      assert.ok(folded.error instanceof GatewayError, 'no error event');
      assert.equal(folded.finishReason, undefined);
    });
  });
}
