import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { type FakeServer, sleep, startFakeServer } from '../fakes/fake-server.ts';
import {
  openAICompletion,
  openAIError,
  openAITextStreamChunks,
  openAIToolStreamChunks,
} from '../fakes/openai.ts';
import { jsonOf, startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const UPSTREAM_KEY = 'sk-upstream-secret-0001';

describe('OpenAI Chat Completions through the gateway (official openai SDK)', () => {
  let upstream: FakeServer;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startFakeServer();
    gateway = await startTestGateway({
      env: { OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: `${upstream.url}/v1` },
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  test('plain completion: body forwarded untouched except the model, our key upstream', async () => {
    upstream.enqueue(openAICompletion({ content: 'Hi from upstream', usage: { prompt: 9, completion: 3 } }));
    const body = {
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'What is in this image?' },
            {
              type: 'image_url' as const,
              image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' as const },
            },
          ],
        },
      ],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'auto' as const,
      response_format: { type: 'json_object' as const },
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      seed: 7,
      temperature: 0.2,
      metadata: { team: 'a' },
    };
    const { data: completion, response } = await client.chat.completions.create(body).withResponse();
    assert.equal(completion.choices[0].message.content, 'Hi from upstream');
    assert.equal(completion.usage?.total_tokens, 12);
    assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
    assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4.1-nano-2025-04-14');
    // a generated id is a time-ordered UUIDv7 (trace rows then append to the id index)
    assert.match(
      response.headers.get('x-request-id') ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.url, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
    assert.deepEqual(sent.json, { ...body, model: 'gpt-4o-mini' });
  });

  test("passthrough keeps the client's own bytes, rewriting only the members it changes", async () => {
    const post = (body: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    // escapes and spacing that a re-serialisation would normalise: the members after the model are kept as sent
    const prompt = `caf\\u00e9 \\ud83d\\ude00 \\/ } ${'and so on '.repeat(300)}`;
    const messages = `"messages" :\n  [ {"role":"user", "content":"${prompt}"} ]`;
    upstream.enqueue(openAICompletion({}));
    await post(`{ "model": "openai/gpt-4o-mini", ${messages}, "seed" : 7 }`);
    assert.equal(upstream.requests[0].body, `{"model":"gpt-4o-mini",${messages}, "seed" : 7}`);

    upstream.enqueue({ chunks: openAITextStreamChunks({ pieces: ['Hi'], includeUsage: true }) });
    const streamed = await post(`{"model":"openai/gpt-4o-mini", ${messages}, "stream": true}`);
    await streamed.text();
    assert.equal(
      upstream.requests[1].body,
      `{"model":"gpt-4o-mini",${messages}, "stream": true,"stream_options":{"include_usage":true}}`,
    );

    // routing fields are taken out of the parsed body, so the body is encoded from it instead
    upstream.enqueue(openAICompletion({}));
    await post(`{"model":"openai/gpt-4o-mini", ${messages}, "provider": {"sort": "price"}}`);
    assert.deepEqual(upstream.requests[2].json, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `café 😀 / } ${'and so on '.repeat(300)}` }],
    });
  });

  test('streamed text: upstream is asked for usage, the extra usage chunk is stripped', async () => {
    upstream.enqueue({
      chunks: openAITextStreamChunks({ pieces: ['Hel', 'lo', '!'], includeUsage: true }),
      delayMs: 2,
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), 'Hello!');
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
    assert.ok(
      chunks.every((chunk) => chunk.choices.length === 1),
      'no usage-only chunk reaches the client',
    );
    assert.ok(
      chunks.every((chunk) => !('usage' in chunk)),
      'nor the "usage": null that asking for usage adds to every chunk',
    );
    assert.deepEqual((upstream.requests[0].json as { stream_options: unknown }).stream_options, {
      include_usage: true,
    });
  });

  test('streamed text with include_usage: the usage chunk arrives', async () => {
    upstream.enqueue({
      chunks: openAITextStreamChunks({
        pieces: ['a', 'b'],
        includeUsage: true,
        usage: { prompt: 5, completion: 2 },
      }),
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    assert.equal(usage?.prompt_tokens, 5);
    assert.equal(usage?.completion_tokens, 2);
  });

  test('streamed parallel tool calls accumulate in the SDK', async () => {
    upstream.enqueue({
      chunks: openAIToolStreamChunks({
        includeUsage: true,
        calls: [
          {
            id: 'call_4XzlGBLtUe9dy3GVNV4jhq7h',
            name: 'get_weather',
            argumentPieces: ['{"', 'city', '":"', 'NYC', '"}'],
          },
          { id: 'call_bbbbbbbbbbbbbbbbbbbbbbbb', name: 'get_time', argumentPieces: ['{"tz":', '"EST"}'] },
        ],
      }),
    });
    const runner = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather and time in NYC?' }],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls?.map((call) =>
      call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [],
    );
    assert.deepEqual(calls, [
      ['call_4XzlGBLtUe9dy3GVNV4jhq7h', 'get_weather', '{"city":"NYC"}'],
      ['call_bbbbbbbbbbbbbbbbbbbbbbbb', 'get_time', '{"tz":"EST"}'],
    ]);
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
  });

  test('upstream 4xx keeps status, message, type and code', async () => {
    upstream.enqueue(
      openAIError(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        'invalid_request_error',
        'unsupported_parameter',
        'max_tokens',
      ),
    );
    const error = await client.chat.completions
      .create({ model: 'o3-mini', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'max_tokens');
    assert.match(error.message, /max_completion_tokens/);
  });

  test('upstream 5xx and 429 keep their status; retry-after is passed on', async () => {
    upstream.enqueue({
      ...openAIError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded'),
      headers: { 'retry-after': '7' },
    });
    const limited = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal(limited.headers?.get('retry-after'), '7');
    upstream.enqueue(openAIError(503, 'The server is overloaded', 'server_error', null));
    const down = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(down instanceof OpenAI.InternalServerError);
    assert.equal(down.status, 503);
    assert.doesNotMatch(JSON.stringify(down.error), new RegExp(UPSTREAM_KEY));
  });

  test('an upstream that dies mid-stream ends the client stream with an error, never [DONE]', async () => {
    const chunks = openAITextStreamChunks({ pieces: ['one ', 'two ', 'three'], includeUsage: true });
    upstream.enqueue({ chunks, dieAfterChunks: 3, delayMs: 5 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await response.text();
    assert.match(text, /"content":"two "/);
    assert.doesNotMatch(text, /\[DONE\]/);
    const last = text.trim().split('\n\n').at(-1)!;
    assert.equal(JSON.parse(last.slice('data: '.length)).error.code, 'upstream_stream_broken');

    upstream.enqueue({ chunks, dieAfterChunks: 2, delayMs: 5 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // consume
      }
    }, /Upstream stream ended/);
  });

  /** A streamed chat request over plain fetch, so the test decides when to stop reading. */
  const postRawStream = (signal: AbortSignal) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      signal,
    });

  const upstreamAborted = async () => {
    for (let i = 0; i < 100 && !upstream.requests[0]?.aborted; i++) await sleep(10);
    assert.equal(upstream.requests[0].aborted, true, 'the upstream request was aborted');
  };

  test('a client that disconnects aborts the upstream request', async () => {
    upstream.enqueue({
      chunks: openAITextStreamChunks({ pieces: ['a', 'b', 'c', 'd'], includeUsage: true }),
      hangAfterChunks: 2,
    });
    const controller = new AbortController();
    const response = await postRawStream(controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await upstreamAborted();
  });

  test('a stream whose first chunk is slow still opens: the headers go out before it', async () => {
    upstream.enqueue({
      chunks: openAITextStreamChunks({ pieces: ['late'], includeUsage: true }),
      hangAfterChunks: 0,
    });
    const controller = new AbortController();
    const response = await postRawStream(controller.signal);
    // fetch resolves on the response headers; the upstream has sent no chunk at all
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
    controller.abort();
    await upstreamAborted();
  });

  test('unknown or unreachable model → 404 naming it, no upstream call', async () => {
    const unknown = await client.chat.completions
      .create({ model: 'no-such-model-xyz', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(unknown instanceof OpenAI.NotFoundError);
    assert.match(unknown.message, /no-such-model-xyz/);
    assert.equal(unknown.code, 'model_not_found');
    const inactive = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(inactive instanceof OpenAI.NotFoundError);
    assert.match(inactive.message, /claude-sonnet-4-5.*anthropic/);
    const pinned = await client.chat.completions
      .create({ model: 'groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(pinned instanceof OpenAI.NotFoundError);
    assert.equal(upstream.requests.length, 0);
  });

  test('bad requests are 4xx in OpenAI shape', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const badJson = await post('{"model": ');
    assert.equal(badJson.status, 400);
    assert.equal((await jsonOf(badJson)).error.code, 'invalid_json');
    const noMessages = await post(JSON.stringify({ model: 'gpt-4o' }));
    assert.equal(noMessages.status, 400);
    assert.equal((await jsonOf(noMessages)).error.param, 'messages');
    const noModel = await post(JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }));
    assert.equal((await jsonOf(noModel)).error.param, 'model');
    const huge = await post(
      JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }],
      }),
    );
    assert.equal(huge.status, 413);
    assert.match(String((await jsonOf(huge)).error.message), /larger than the limit/);
    assert.equal(upstream.requests.length, 0);
  });

  test('x-request-id is honoured and echoed', async () => {
    upstream.enqueue(openAICompletion({}));
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'my-trace-123' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(response.headers.get('x-request-id'), 'my-trace-123');
  });
});

describe('provider activation, X-Provider and the gateway key', () => {
  let groq: FakeServer;
  let ollama: FakeServer;
  let gateway: TestGateway;

  before(async () => {
    groq = await startFakeServer(
      openAICompletion({ content: 'from groq', model: 'llama-3.3-70b-versatile' }),
    );
    ollama = await startFakeServer(openAICompletion({ content: 'from ollama', model: 'llama3.2' }));
    gateway = await startTestGateway({
      env: {
        GROQ_API_KEY: 'gsk-groq-secret',
        GROQ_BASE_URL: `${groq.url}/openai/v1`,
        OLLAMA_HOST: ollama.url.replace('http://', ''),
        SWITCHYARD_MASTER_KEY: 'gateway-master-key',
      },
      config: {
        models: [{ id: 'llama-fast', deployments: [{ provider: 'groq', model: 'llama-3.1-8b-instant' }] }],
      },
    });
  });
  after(async () => {
    await gateway.close();
    await groq.close();
    await ollama.close();
  });

  const client = (apiKey = 'gateway-master-key') =>
    new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });

  test('env-activated vendors are reached at their own base URL with their own key', async () => {
    const completion = await client().chat.completions.create({
      model: 'groq/llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0].message.content, 'from groq');
    const sent = groq.requests.at(-1)!;
    assert.equal(sent.url, '/openai/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer gsk-groq-secret');
    assert.equal((sent.json as { model: string }).model, 'llama-3.3-70b-versatile');
  });

  test('a field the vendor rejects is dropped on the passthrough path too, and reported', async () => {
    const { data, response } = await client()
      .chat.completions.create({
        model: 'groq/llama-3.3-70b-versatile',
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
        temperature: 0.3,
      })
      .withResponse();
    assert.equal(data.choices[0].message.content, 'from groq');
    const sent = groq.requests.at(-1)!.json as Record<string, unknown>;
    assert.equal(sent.logprobs, undefined);
    assert.equal(sent.temperature, 0.3);
    assert.equal(response.headers.get('x-switchyard-warnings'), 'logprobs: not supported by groq, dropped');
  });

  test('Ollama needs no key: OLLAMA_HOST activates it and no authorization is sent', async () => {
    const completion = await client().chat.completions.create({
      model: 'ollama/llama3.2',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0].message.content, 'from ollama');
    assert.equal(ollama.requests.at(-1)!.url, '/v1/chat/completions');
    assert.equal(ollama.requests.at(-1)!.headers.authorization, undefined);
  });

  test('a configured aggregate maps to its deployment model', async () => {
    await client().chat.completions.create({
      model: 'llama-fast',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal((groq.requests.at(-1)!.json as { model: string }).model, 'llama-3.1-8b-instant');
  });

  test('X-Provider forces the provider for one request', async () => {
    const before = ollama.requests.length;
    await client().chat.completions.create(
      { model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'X-Provider': 'ollama' } },
    );
    assert.equal(ollama.requests.length, before + 1);
    const unknown = await client()
      .chat.completions.create(
        { model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'X-Provider': 'nope' } },
      )
      .catch((caught: unknown) => caught);
    assert.ok(unknown instanceof OpenAI.BadRequestError);
  });

  test('the gateway key is required and never forwarded', async () => {
    const denied = await client('wrong-key')
      .chat.completions.create({ model: 'groq/x', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    assert.ok(denied instanceof OpenAI.AuthenticationError);
    const noKey = await fetch(`${gateway.url}/v1/models`);
    assert.equal(noKey.status, 401);
    const viaXApiKey = await fetch(`${gateway.url}/v1/models`, {
      headers: { 'x-api-key': 'gateway-master-key' },
    });
    assert.equal(viaXApiKey.status, 200);
    for (const request of [...groq.requests, ...ollama.requests]) {
      assert.doesNotMatch(JSON.stringify(request.headers), /gateway-master-key/);
    }
    assert.equal((await fetch(`${gateway.url}/health`)).status, 200);
  });

  test('GET /v1/models lists reachable configured models in OpenAI list shape', async () => {
    const models = await client().models.list();
    const ids = models.data.map((model) => model.id);
    assert.ok(ids.includes('llama-fast'));
    const card = models.data.find((model) => model.id === 'llama-fast') as unknown as {
      provider: string;
      deployments: unknown[];
    };
    assert.equal(card.provider, 'groq');
    assert.equal(card.deployments.length, 1);
  });
});
