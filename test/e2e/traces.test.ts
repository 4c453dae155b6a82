import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { anthropicMessage, anthropicStream } from '../fakes/anthropic.ts';
import { type FakeServer, startFakeServer } from '../fakes/fake-server.ts';
import { openAICompletion, openAIError, openAITextStreamChunks } from '../fakes/openai.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

let openai: FakeServer;
let anthropic: FakeServer;
let gateway: TestGateway;

before(async () => {
  [openai, anthropic] = await Promise.all([startFakeServer(), startFakeServer()]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-a',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
    config: {
      models: [
        {
          id: 'resilient',
          deployments: [
            { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
            { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', price: { input: 0.8, output: 4 } },
          ],
        },
      ],
    },
  });
});
after(async () => {
  await gateway.close();
  await Promise.all([openai.close(), anthropic.close()]);
});

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'c', maxRetries: 0 });

test('a streamed request produces one trace row with usage, cost, timing and finish reason', async () => {
  anthropic.enqueue({
    chunks: anthropicStream({ text: ['a', 'b'], usage: { input_tokens: 1000, output_tokens: 200 } }),
  });
  const { data: stream, response } = await client()
    .chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-20241022',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    })
    .withResponse();
  for await (const _chunk of stream) {
    // drain
  }
  const id = response.headers.get('x-request-id')!;
  await gateway.runtime.traceWriter!.flush();
  const trace = await gateway.runtime.store!.getTrace(id);
  assert.ok(trace);
  assert.equal(trace.stream, true);
  assert.equal(trace.status, 'ok');
  assert.equal(trace.clientProtocol, 'openai-chat');
  assert.equal(trace.provider, 'anthropic');
  assert.equal(trace.requestedModel, 'anthropic/claude-3-5-haiku-20241022');
  assert.equal(trace.finishReason, 'end_turn');
  assert.deepEqual(trace.usage, {
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  });
  // claude-3-5-haiku from the catalog: $0.80/M input, $4/M output
  assert.ok(Math.abs((trace.costUsd ?? -1) - (1000 * 0.8 + 200 * 4) / 1e6) < 1e-12);
  assert.equal(trace.attempts.length, 1);
  assert.equal(trace.attempts[0].status, 'ok');
  assert.ok(trace.ttftMs !== null && trace.latencyMs >= trace.ttftMs);
});

test('a failed-over request records both attempts and bills only what answered', async () => {
  openai.enqueue(openAIError(503, 'overloaded', 'server_error', null));
  anthropic.enqueue({
    chunks: anthropicStream({ text: ['ok'], usage: { input_tokens: 10, output_tokens: 5 } }),
  });
  const { response } = await client()
    .chat.completions.create({ model: 'resilient', stream: true, messages: [{ role: 'user', content: 'x' }] })
    .withResponse();
  const id = response.headers.get('x-request-id')!;
  assert.equal(response.headers.get('x-switchyard-attempts'), '2');
  assert.equal(response.headers.get('x-switchyard-provider'), 'anthropic');
  await response.text();
  await gateway.runtime.traceWriter!.flush();
  const trace = await gateway.runtime.store!.getTrace(id);
  assert.ok(trace);
  assert.deepEqual(
    trace.attempts.map((attempt) => [
      attempt.provider,
      attempt.model,
      attempt.status,
      attempt.httpStatus,
      attempt.errorCode,
    ]),
    [
      ['openai', 'gpt-4o-mini', 'error', 503, 'upstream_unavailable'],
      ['anthropic', 'claude-3-5-haiku-20241022', 'ok', 200, undefined],
    ],
  );
  assert.ok(Math.abs((trace.costUsd ?? -1) - (10 * 0.8 + 5 * 4) / 1e6) < 1e-12);
});

test('an upstream error becomes an error trace; unknown prices are null, never 0', async () => {
  openai.enqueue(openAIError(400, 'bad', 'invalid_request_error', 'invalid_value'));
  const failed = await client()
    .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
    .withResponse()
    .catch((error: unknown) => error);
  assert.ok(failed instanceof OpenAI.APIError);
  openai.enqueue(openAICompletion({ usage: { prompt: 3, completion: 4 } }));
  const { response } = await client()
    .chat.completions.create({
      model: 'openai/my-private-finetune-xyz',
      messages: [{ role: 'user', content: 'x' }],
    })
    .withResponse();
  await gateway.runtime.traceWriter!.flush();
  const unknownPrice = await gateway.runtime.store!.getTrace(response.headers.get('x-request-id')!);
  assert.equal(unknownPrice?.costUsd, null);
  const errors = await gateway.runtime.store!.listTraces({ status: 'error' });
  assert.ok(errors.items.some((trace) => trace.httpStatus === 400 && trace.errorMessage === 'bad'));
});

test('GET /metrics shows the requests, tokens and cost in Prometheus format', async () => {
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  assert.match(
    metrics,
    /switchyard_requests_total\{protocol="openai-chat",provider="anthropic",model="claude-3-5-haiku-20241022",status_class="2xx"\} 2/,
  );
  assert.match(
    metrics,
    /switchyard_tokens_total\{provider="anthropic",model="claude-3-5-haiku-20241022",kind="input"\} 1010/,
  );
  assert.match(metrics, /switchyard_fallbacks_total 1/);
  assert.match(metrics, /switchyard_trace_queue_depth \d+/);
});

test('cost reaches the client: x-switchyard-cost-usd and usage.cost (plain), usage.cost in the last chunk (streamed)', async () => {
  // gpt-4o-mini from the catalog: $0.15/M input, $0.60/M output
  const expected = (1000 * 0.15 + 100 * 0.6) / 1e6;
  openai.enqueue(openAICompletion({ usage: { prompt: 1000, completion: 100 } }));
  const { data: completion, response } = await client()
    .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
    .withResponse();
  assert.ok(Math.abs(Number(response.headers.get('x-switchyard-cost-usd')) - expected) < 1e-12);
  assert.ok(Math.abs((completion.usage as unknown as { cost: number }).cost - expected) < 1e-12);

  openai.enqueue({
    chunks: openAITextStreamChunks({
      pieces: ['a'],
      includeUsage: true,
      usage: { prompt: 1000, completion: 100 },
    }),
  });
  const stream = await client().chat.completions.create({
    model: 'openai/gpt-4o-mini',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'x' }],
  });
  let cost: number | undefined;
  for await (const chunk of stream) if (chunk.usage) cost = (chunk.usage as unknown as { cost: number }).cost;
  assert.ok(cost !== undefined && Math.abs(cost - expected) < 1e-12);

  anthropic.enqueue({
    chunks: anthropicStream({ text: ['b'], usage: { input_tokens: 1000, output_tokens: 200 } }),
  });
  const translated = await client().chat.completions.create({
    model: 'anthropic/claude-3-5-haiku-20241022',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'x' }],
  });
  let translatedCost: number | undefined;
  for await (const chunk of translated)
    if (chunk.usage) translatedCost = (chunk.usage as unknown as { cost: number }).cost;
  assert.ok(translatedCost !== undefined && Math.abs(translatedCost - (1000 * 0.8 + 200 * 4) / 1e6) < 1e-12);

  openai.enqueue(openAICompletion({ usage: { prompt: 3, completion: 4 } }));
  const { data: unknownPrice, response: unknownResponse } = await client()
    .chat.completions.create({
      model: 'openai/my-private-finetune-xyz',
      messages: [{ role: 'user', content: 'x' }],
    })
    .withResponse();
  assert.equal(unknownResponse.headers.get('x-switchyard-cost-usd'), 'unknown');
  assert.equal((unknownPrice.usage as unknown as { cost: number | null }).cost, null);
});

test('Responses and legacy completions clients get usage.cost too (plain, and in the final event when streamed)', async () => {
  const expected = (1000 * 0.8 + 200 * 4) / 1e6; // claude-3-5-haiku from the catalog
  const usage = { input_tokens: 1000, output_tokens: 200 };
  const costOf = (value: unknown) => (value as { cost?: number | null } | null | undefined)?.cost;

  anthropic.enqueue({ body: anthropicMessage({ text: 'c', usage }) });
  const plain = await client().responses.create({
    model: 'anthropic/claude-3-5-haiku-20241022',
    input: 'x',
    stream: false,
  });
  assert.ok(Math.abs((costOf(plain.usage) ?? -1) - expected) < 1e-12, JSON.stringify(plain.usage));

  anthropic.enqueue({ chunks: anthropicStream({ text: ['d'], usage }) });
  const final = await client()
    .responses.stream({ model: 'anthropic/claude-3-5-haiku-20241022', input: 'x' })
    .finalResponse();
  assert.ok(Math.abs((costOf(final.usage) ?? -1) - expected) < 1e-12, JSON.stringify(final.usage));

  anthropic.enqueue({ chunks: anthropicStream({ text: ['e'], usage }) });
  const completions = await client().completions.create({
    model: 'anthropic/claude-3-5-haiku-20241022',
    prompt: 'x',
    stream: true,
    stream_options: { include_usage: true },
  });
  let completionsCost: number | null | undefined;
  for await (const chunk of completions) if (chunk.usage) completionsCost = costOf(chunk.usage);
  assert.ok(Math.abs((completionsCost ?? -1) - expected) < 1e-12);
});
