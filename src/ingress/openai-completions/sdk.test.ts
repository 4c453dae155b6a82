// The codec's output read back by the official `openai` SDK, over real HTTP.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import codec from './index.ts';

type Reply = { events: StreamEvent[] } | { response: CanonicalResponse } | { error: GatewayError };

/** What the fake gateway answers next; the body each request carried is kept. */
let nextReply: Reply;
const seenBodies: unknown[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = JSON.parse(raw);
  seenBodies.push(body);
  if ('error' in nextReply) {
    const { status, body: errorBody } = codec.encodeError(nextReply.error);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody));
    return;
  }
  let request: ReturnType<typeof codec.decodeRequest>;
  try {
    request = codec.decodeRequest(body, {
      requestId: 'req_sdk',
      headers: req.headers,
      path: '/v1/completions',
      query: new URLSearchParams(),
    });
  } catch (error) {
    const { status, body: errorBody } = codec.encodeError(error as GatewayError);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody));
    return;
  }
  const context: EncodeContext = {
    requestId: 'req_sdk',
    requestedModel: request.model,
    request,
    includeUsage: body.stream_options?.include_usage === true,
  };
  if ('response' in nextReply) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(codec.encodeResponse(nextReply.response, context)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const events = nextReply.events;
  for await (const frame of codec.encodeStream(
    (async function* () {
      yield* events;
    })(),
    context,
  ))
    res.write(frame);
  res.end();
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => res.destroy(error));
});
let client: OpenAI;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 });
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const streamEvents: StreamEvent[] = [
  { type: 'response-start', id: 'chatcmpl-s1', model: 'gpt-4o-mini-2024-07-18', created: 1765552663 },
  { type: 'text-delta', index: 0, delta: 'This is' },
  { type: 'text-delta', index: 0, delta: ' a test.' },
  { type: 'block-end', index: 0 },
  { type: 'response-end', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 7 } },
];

describe('openai SDK against the completions codec', () => {
  it('completions.create returns the text_completion as encoded', async () => {
    nextReply = {
      response: {
        id: 'chatcmpl-r1',
        model: 'gpt-4o-mini-2024-07-18',
        created: 1765552663,
        content: [{ type: 'text', text: 'This is a test.' }],
        finishReason: 'length',
        usage: { inputTokens: 5, outputTokens: 16 },
      },
    };
    const completion = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
    });
    assert.deepEqual(seenBodies.at(-1), { model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test' });
    assert.deepEqual(completion, {
      id: 'cmpl-r1',
      object: 'text_completion',
      created: 1765552663,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ text: 'This is a test.', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 16, total_tokens: 21 },
    });
  });

  it('echo puts the prompt in front of the returned text', async () => {
    nextReply = {
      response: {
        id: 'chatcmpl-r2',
        model: 'gpt-4o-mini-2024-07-18',
        content: [{ type: 'text', text: ' world' }],
        finishReason: 'stop',
        usage: { inputTokens: 2, outputTokens: 1 },
      },
    };
    const completion = await client.completions.create({ model: 'm', prompt: 'Hello', echo: true });
    assert.equal(completion.choices[0].text, 'Hello world');
  });

  it('a stream concatenates to the text, with the finish reason and usage at the end', async () => {
    nextReply = { events: streamEvents };
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: Array<string | null> = [];
    let usage: unknown;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'text_completion');
      assert.equal(chunk.id, 'cmpl-s1');
      for (const choice of chunk.choices) {
        text += choice.text;
        finishes.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'This is a test.');
    assert.deepEqual(finishes, [null, null, 'stop']);
    assert.deepEqual(usage, { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
  });

  it('an error event makes stream iteration throw after the text already sent', async () => {
    nextReply = {
      events: [
        ...streamEvents.slice(0, 2),
        { type: 'error', error: new GatewayError('upstream_unavailable', 'Upstream went away') },
      ],
    };
    const stream = await client.completions.create({ model: 'm', prompt: 'x', stream: true });
    let text = '';
    await assert.rejects(
      async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
      },
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.match(error.message, /Upstream went away/);
        assert.equal(error.code, 'upstream_unavailable');
        return true;
      },
    );
    assert.equal(text, 'This is');
  });

  it('a refused prompt reaches the SDK as a BadRequestError naming the param', async () => {
    nextReply = { events: streamEvents };
    await assert.rejects(
      () => client.completions.create({ model: 'm', prompt: [1212, 318, 257] }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.status, 400);
        assert.equal(error.param, 'prompt');
        assert.match(error.message, /token-id prompts are not supported/);
        return true;
      },
    );
  });

  it('an upstream error keeps its status for the SDK', async () => {
    nextReply = { error: new GatewayError('rate_limited', 'Rate limit reached', { retryAfter: 1 }) };
    await assert.rejects(
      () => client.completions.create({ model: 'm', prompt: 'x' }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError);
        assert.equal(error.status, 429);
        assert.equal(error.code, 'rate_limited');
        return true;
      },
    );
  });
});
