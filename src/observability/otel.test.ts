import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import { genAiOperation, genAiProviderName } from './gen-ai-attributes.ts';
import { createTracing } from './otel.ts';
import { otlpSettings, parseHeaders } from './otlp-env.ts';
import { buildRecord, upstreamError } from './test-records.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: OtlpValue }>;
  traceState?: string;
  status: { code: number; message?: string };
}
interface Export {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    resourceSpans: Array<{
      resource: { attributes: Array<{ key: string; value: OtlpValue }> };
      scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }>;
    }>;
  };
}

const SERVER = 2; // OTLP SpanKind values
const CLIENT = 3;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
const T0 = 1_700_000_000_000;
const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

function plain(value: OtlpValue): unknown {
  if (value.arrayValue) return value.arrayValue.values.map(plain);
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}

function attributes(list: Array<{ key: string; value: OtlpValue }>): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]));
}

/** A local OTLP/HTTP collector: records every export it receives. */
let collector: Server;
let endpoint: string;
const exports: Export[] = [];

function allSpans(): OtlpSpan[] {
  return exports.flatMap((e) => e.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
}

before(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      exports.push({
        path: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

after(async () => {
  collector.closeAllConnections();
  await new Promise((resolve) => collector.close(resolve));
});

beforeEach(() => {
  exports.length = 0;
});

function fellBackRecord() {
  const record = buildRecord({
    id: 'req-fallback',
    protocol: 'anthropic-messages',
    endpoint: '/v1/messages',
    model: 'claude-x',
    stream: true,
    startedAt: T0,
    attempts: [
      { provider: 'anthropic', model: 'claude-x', latencyMs: 80, error: upstreamError('rate_limited', 429) },
      {
        provider: 'bedrock',
        model: 'anthropic.claude-x',
        latencyMs: 6900,
        ttftMs: 2400,
        usage: {
          inputTokens: 200,
          outputTokens: 20,
          cacheReadTokens: 30,
          cacheWriteTokens: 150,
          reasoningTokens: 5,
        },
      },
    ],
    finishReason: 'stop',
    responseModel: 'claude-x-20250101',
    latencyMs: 7000,
    ttftMs: 2500,
  });
  record.warnings.push('top_k: not supported by bedrock');
  return record;
}

describe('createTracing', () => {
  it('is off unless an OTLP endpoint is configured', async () => {
    assert.equal(await createTracing({}), undefined);
    assert.equal(await createTracing({ OTEL_SERVICE_NAME: 'x' }), undefined);
    assert.equal(
      await createTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' }),
      undefined,
    );
  });

  it('exports a SERVER span per request with a CLIENT child per attempt, joined to the remote traceparent', async () => {
    const tracing = await createTracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'gw-test',
    });
    assert.ok(tracing);
    tracing.recordRequest(
      fellBackRecord(),
      0.0123,
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'vendor=abc',
    );
    await tracing.shutdown();

    assert.equal(exports.length, 1);
    assert.equal(exports[0].path, '/v1/traces');
    assert.equal(exports[0].headers['content-type'], 'application/json');
    const resource = attributes(exports[0].body.resourceSpans[0].resource.attributes);
    assert.equal(resource['service.name'], 'gw-test');
    assert.equal(exports[0].body.resourceSpans[0].scopeSpans[0].scope.name, 'switchyard');

    const spans = allSpans();
    assert.equal(spans.length, 3);
    const server = spans.find((s) => s.kind === SERVER);
    assert.ok(server);
    assert.equal(server.name, 'chat claude-x');
    assert.equal(server.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(server.parentSpanId, 'b7ad6b7169203331');
    assert.equal(server.traceState, 'vendor=abc');
    assert.equal(server.startTimeUnixNano, nanos(T0));
    assert.equal(server.endTimeUnixNano, nanos(T0 + 7000));
    assert.deepEqual(server.status, { code: STATUS_UNSET });
    assert.deepEqual(attributes(server.attributes), {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'claude-x',
      'gen_ai.response.model': 'claude-x-20250101',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 30,
      'gen_ai.usage.cache_creation.input_tokens': 150,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'http.response.status_code': 200,
      'url.path': '/v1/messages',
      'switchyard.request_id': 'req-fallback',
      'switchyard.client_protocol': 'anthropic-messages',
      'switchyard.stream': true,
      'switchyard.attempts': 2,
      'switchyard.provider': 'bedrock',
      'switchyard.resolved_model': 'anthropic.claude-x',
      'switchyard.cost_usd': 0.0123,
      'switchyard.ttft_ms': 2500,
      'switchyard.warnings': ['top_k: not supported by bedrock'],
    });

    const children = spans
      .filter((s) => s.kind === CLIENT)
      .sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
    assert.deepEqual(
      children.map((s) => [s.name, s.traceId, s.parentSpanId, s.startTimeUnixNano, s.endTimeUnixNano]),
      [
        ['chat claude-x', server.traceId, server.spanId, nanos(T0), nanos(T0 + 80)],
        ['chat anthropic.claude-x', server.traceId, server.spanId, nanos(T0 + 80), nanos(T0 + 6980)],
      ],
    );
    assert.deepEqual(children[0].status, { code: STATUS_ERROR, message: 'upstream said 429' });
    assert.deepEqual(attributes(children[0].attributes), {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'http.response.status_code': 429,
      'error.type': 'rate_limited',
      'switchyard.provider': 'anthropic',
      'switchyard.attempt': 0,
    });
    assert.deepEqual(children[1].status, { code: STATUS_UNSET });
    assert.deepEqual(attributes(children[1].attributes), {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'anthropic.claude-x',
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 30,
      'gen_ai.usage.cache_creation.input_tokens': 150,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'http.response.status_code': 200,
      'switchyard.provider': 'bedrock',
      'switchyard.attempt': 1,
      'switchyard.ttft_ms': 2400,
    });
  });

  it('marks a failed request with error.type and status ERROR, as a new root trace', async () => {
    const tracing = await createTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/` });
    assert.ok(tracing);
    const record = buildRecord({
      id: 'req-failed',
      model: 'gpt-4o-mini',
      startedAt: T0,
      attempts: [
        {
          provider: 'openai',
          model: 'gpt-4o-mini',
          latencyMs: 20,
          error: upstreamError('upstream_unavailable', 503),
        },
      ],
      error: upstreamError('upstream_unavailable', 503),
      latencyMs: 25,
    });
    tracing.recordRequest(record, null);
    await tracing.shutdown();

    assert.equal(exports[0].path, '/v1/traces');
    assert.equal(
      attributes(exports[0].body.resourceSpans[0].resource.attributes)['service.name'],
      'switchyard',
    );
    const spans = allSpans();
    const server = spans.find((s) => s.kind === SERVER);
    const client = spans.find((s) => s.kind === CLIENT);
    assert.ok(server && client);
    assert.equal(server.parentSpanId ?? '', '');
    assert.match(server.traceId, /^[0-9a-f]{32}$/);
    assert.notEqual(server.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(client.parentSpanId, server.spanId);
    assert.deepEqual(server.status, { code: STATUS_ERROR, message: 'upstream said 503' });
    assert.deepEqual(attributes(server.attributes), {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'error.type': 'upstream_unavailable',
      'http.response.status_code': 503,
      'url.path': '/v1/chat/completions',
      'switchyard.request_id': 'req-failed',
      'switchyard.client_protocol': 'openai-chat',
      'switchyard.stream': false,
      'switchyard.attempts': 1,
    });
    assert.equal(attributes(client.attributes)['error.type'], 'upstream_unavailable');
  });

  it('ignores a malformed traceparent and starts a fresh trace', async () => {
    const tracing = await createTracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/custom/traces` });
    assert.ok(tracing);
    const record = buildRecord({
      id: 'req-unresolved',
      model: 'no-such-model',
      startedAt: T0,
      attempts: [],
      error: new GatewayError('model_not_found', 'The model no-such-model does not exist'),
      latencyMs: 2,
    });
    tracing.recordRequest(record, null, '00-00000000000000000000000000000000-b7ad6b7169203331-01');
    await tracing.shutdown();

    assert.equal(exports[0].path, '/custom/traces');
    const spans = allSpans();
    assert.equal(spans.length, 1);
    assert.equal(spans[0].name, 'chat no-such-model');
    assert.equal(spans[0].parentSpanId ?? '', '');
    assert.notEqual(spans[0].traceId, '00000000000000000000000000000000');
    assert.equal(attributes(spans[0].attributes)['http.response.status_code'], 404);
    assert.equal(attributes(spans[0].attributes)['error.type'], 'model_not_found');
  });

  it('sends the OTLP headers from the environment', async () => {
    const tracing = await createTracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=gateway,authorization=Bearer%20abc',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces',
    });
    assert.ok(tracing);
    tracing.recordRequest(fellBackRecord(), 0.01);
    await tracing.flush();
    assert.equal(exports.length, 1);
    assert.equal(exports[0].headers['x-team'], 'traces');
    assert.equal(exports[0].headers.authorization, 'Bearer abc');
    await tracing.shutdown();
  });
});

describe('OTLP environment and GenAI names', () => {
  it('derives the traces URL, headers and service name', () => {
    assert.deepEqual(otlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), {
      url: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'switchyard',
    });
    assert.deepEqual(
      otlpSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/api/traces',
        OTEL_SERVICE_NAME: 'edge-gw',
      }),
      { url: 'https://otel.example/api/traces', headers: {}, serviceName: 'edge-gw' },
    );
    assert.equal(
      otlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
      undefined,
    );
    assert.deepEqual(parseHeaders(' a = 1 ,b=x%3Dy,=bad,novalue, c=%E0%A4%A '), {
      a: '1',
      b: 'x=y',
      c: '%E0%A4%A',
    });
  });

  it('maps provider ids to gen_ai.provider.name and endpoints to operations', () => {
    assert.deepEqual(
      [
        'openai',
        'anthropic',
        'gemini',
        'vertex',
        'bedrock',
        'azure',
        'mistral',
        'groq',
        'deepseek',
        'xai',
        'perplexity',
        'cohere',
        'cohere-compat',
        'together',
        'my-vllm',
      ].map(genAiProviderName),
      [
        'openai',
        'anthropic',
        'gcp.gemini',
        'gcp.vertex_ai',
        'aws.bedrock',
        'azure.ai.openai',
        'mistral_ai',
        'groq',
        'deepseek',
        'x_ai',
        'perplexity',
        'cohere',
        'cohere',
        'together',
        'my-vllm',
      ],
    );
    assert.deepEqual(
      [
        '/v1/chat/completions',
        '/v1/messages',
        '/v1/responses',
        '/v1/embeddings',
        '/v1/completions',
        '/v1beta/models/gemini-2.5-pro:generateContent',
      ].map(genAiOperation),
      ['chat', 'chat', 'chat', 'embeddings', 'text_completion', 'chat'],
    );
  });
});
