import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register as globalRegistry } from 'prom-client';
import { GatewayError } from '../core/errors.ts';
import { createMetrics, statusClass } from './metrics.ts';
import { buildRecord, upstreamError } from './test-records.ts';

/** Sample lines (no HELP/TYPE) of one metric family, sorted. */
function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .sort();
}

function scenario() {
  const ok = buildRecord({
    id: 'r1',
    model: 'gpt-4o',
    attempts: [
      {
        provider: 'openai',
        model: 'gpt-4o',
        latencyMs: 1500,
        ttftMs: 300,
        usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 40, reasoningTokens: 10 },
      },
    ],
    finishReason: 'stop',
    latencyMs: 1500,
    ttftMs: 300,
  });
  const fellBack = buildRecord({
    id: 'r2',
    protocol: 'anthropic-messages',
    endpoint: '/v1/messages',
    model: 'claude-x',
    attempts: [
      { provider: 'anthropic', model: 'claude-x', latencyMs: 80, error: upstreamError('rate_limited', 429) },
      {
        provider: 'bedrock',
        model: 'anthropic.claude-x',
        latencyMs: 6900,
        ttftMs: 2400,
        usage: { inputTokens: 200, outputTokens: 20, cacheWriteTokens: 150 },
      },
    ],
    latencyMs: 7000,
    ttftMs: 2500,
  });
  const failed = buildRecord({
    id: 'r3',
    model: 'gpt-4o-mini',
    attempts: [
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        latencyMs: 20,
        error: upstreamError('upstream_unavailable', 503),
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        latencyMs: 30,
        error: upstreamError('upstream_unavailable', 503),
      },
    ],
    error: upstreamError('upstream_unavailable', 503),
    latencyMs: 60,
  });
  const unknownModel = buildRecord({
    id: 'r4',
    model: 'no-such-model-a8f3',
    attempts: [],
    error: new GatewayError('model_not_found', 'The model no-such-model-a8f3 does not exist'),
    latencyMs: 1,
  });
  return { ok, fellBack, failed, unknownModel };
}

describe('createMetrics', () => {
  it('counts requests by protocol, provider, model and status class; errors by code', async () => {
    const metrics = createMetrics();
    const { ok, fellBack, failed, unknownModel } = scenario();
    metrics.observe(ok, 0.0025);
    metrics.observe(fellBack, null);
    metrics.observe(failed, null);
    metrics.observe(unknownModel, null);
    const text = await metrics.render();
    assert.deepEqual(samples(text, 'switchyard_requests_total'), [
      'switchyard_requests_total{protocol="anthropic-messages",provider="bedrock",model="anthropic.claude-x",status_class="2xx"} 1',
      'switchyard_requests_total{protocol="openai-chat",provider="none",model="none",status_class="4xx"} 1',
      'switchyard_requests_total{protocol="openai-chat",provider="openai",model="gpt-4o",status_class="2xx"} 1',
      'switchyard_requests_total{protocol="openai-chat",provider="openai",model="gpt-4o-mini",status_class="5xx"} 1',
    ]);
    assert.deepEqual(samples(text, 'switchyard_request_errors_total'), [
      'switchyard_request_errors_total{code="model_not_found"} 1',
      'switchyard_request_errors_total{code="upstream_unavailable"} 1',
    ]);
  });

  it('records latency and time to first token histograms in seconds', async () => {
    const metrics = createMetrics();
    const { ok, fellBack } = scenario();
    metrics.observe(ok, 0.0025);
    metrics.observe(fellBack, null);
    const text = await metrics.render();
    const latency = samples(text, 'switchyard_request_duration_seconds_bucket').filter((l) =>
      l.includes('model="gpt-4o"'),
    );
    assert.ok(
      latency.includes(
        'switchyard_request_duration_seconds_bucket{le="1",provider="openai",model="gpt-4o"} 0',
      ),
    );
    assert.ok(
      latency.includes(
        'switchyard_request_duration_seconds_bucket{le="2",provider="openai",model="gpt-4o"} 1',
      ),
    );
    assert.ok(
      latency.includes(
        'switchyard_request_duration_seconds_bucket{le="120",provider="openai",model="gpt-4o"} 1',
      ),
    );
    assert.equal(latency.length, 13); // 12 buckets + +Inf
    assert.deepEqual(samples(text, 'switchyard_request_duration_seconds_sum'), [
      'switchyard_request_duration_seconds_sum{provider="bedrock",model="anthropic.claude-x"} 7',
      'switchyard_request_duration_seconds_sum{provider="openai",model="gpt-4o"} 1.5',
    ]);
    const ttft = samples(text, 'switchyard_time_to_first_token_seconds_bucket');
    assert.ok(
      ttft.includes(
        'switchyard_time_to_first_token_seconds_bucket{le="2",provider="bedrock",model="anthropic.claude-x"} 0',
      ),
    );
    assert.ok(
      ttft.includes(
        'switchyard_time_to_first_token_seconds_bucket{le="5",provider="bedrock",model="anthropic.claude-x"} 1',
      ),
    );
    assert.ok(
      ttft.includes(
        'switchyard_time_to_first_token_seconds_bucket{le="0.25",provider="openai",model="gpt-4o"} 0',
      ),
    );
    assert.ok(
      ttft.includes(
        'switchyard_time_to_first_token_seconds_bucket{le="0.5",provider="openai",model="gpt-4o"} 1',
      ),
    );
    assert.deepEqual(samples(text, 'switchyard_time_to_first_token_seconds_count'), [
      'switchyard_time_to_first_token_seconds_count{provider="bedrock",model="anthropic.claude-x"} 1',
      'switchyard_time_to_first_token_seconds_count{provider="openai",model="gpt-4o"} 1',
    ]);
  });

  it('counts tokens per attempt by kind, known cost, unknown cost, attempts and fallbacks', async () => {
    const metrics = createMetrics();
    const { ok, fellBack, failed, unknownModel } = scenario();
    metrics.observe(ok, 0.0025);
    metrics.observe(ok, 0.0015);
    metrics.observe(fellBack, null);
    metrics.observe(failed, null);
    metrics.observe(unknownModel, null);
    const text = await metrics.render();
    assert.deepEqual(samples(text, 'switchyard_tokens_total'), [
      'switchyard_tokens_total{provider="bedrock",model="anthropic.claude-x",kind="cache_write"} 150',
      'switchyard_tokens_total{provider="bedrock",model="anthropic.claude-x",kind="input"} 200',
      'switchyard_tokens_total{provider="bedrock",model="anthropic.claude-x",kind="output"} 20',
      'switchyard_tokens_total{provider="openai",model="gpt-4o",kind="cache_read"} 80',
      'switchyard_tokens_total{provider="openai",model="gpt-4o",kind="input"} 200',
      'switchyard_tokens_total{provider="openai",model="gpt-4o",kind="output"} 100',
      'switchyard_tokens_total{provider="openai",model="gpt-4o",kind="reasoning"} 20',
    ]);
    assert.deepEqual(samples(text, 'switchyard_cost_usd_total'), [
      'switchyard_cost_usd_total{provider="openai",model="gpt-4o"} 0.004',
    ]);
    // failed and unresolved requests reported no usage: their cost is not "unknown", there is none
    assert.deepEqual(samples(text, 'switchyard_requests_unknown_cost_total'), [
      'switchyard_requests_unknown_cost_total{provider="bedrock",model="anthropic.claude-x"} 1',
    ]);
    assert.deepEqual(samples(text, 'switchyard_attempts_total'), [
      'switchyard_attempts_total{provider="anthropic",model="claude-x",status_class="4xx"} 1',
      'switchyard_attempts_total{provider="bedrock",model="anthropic.claude-x",status_class="2xx"} 1',
      'switchyard_attempts_total{provider="openai",model="gpt-4o",status_class="2xx"} 2',
      'switchyard_attempts_total{provider="openai",model="gpt-4o-mini",status_class="5xx"} 2',
    ]);
    assert.deepEqual(samples(text, 'switchyard_attempt_errors_total'), [
      'switchyard_attempt_errors_total{provider="anthropic",code="rate_limited"} 1',
      'switchyard_attempt_errors_total{provider="openai",code="upstream_unavailable"} 2',
    ]);
    assert.deepEqual(samples(text, 'switchyard_fallbacks_total'), ['switchyard_fallbacks_total 2']);
  });

  it('reports open streams and reads the trace queue depth at scrape time', async () => {
    const metrics = createMetrics();
    assert.deepEqual(samples(await metrics.render(), 'switchyard_trace_queue_depth'), [
      'switchyard_trace_queue_depth 0',
    ]);
    let depth = 17;
    metrics.setTraceQueueDepthSource(() => depth);
    metrics.streamStarted();
    metrics.streamStarted();
    metrics.streamStarted();
    metrics.streamEnded();
    let text = await metrics.render();
    assert.deepEqual(samples(text, 'switchyard_open_streams'), ['switchyard_open_streams 2']);
    assert.deepEqual(samples(text, 'switchyard_trace_queue_depth'), ['switchyard_trace_queue_depth 17']);
    depth = 3;
    metrics.streamEnded();
    text = await metrics.render();
    assert.deepEqual(samples(text, 'switchyard_open_streams'), ['switchyard_open_streams 1']);
    assert.deepEqual(samples(text, 'switchyard_trace_queue_depth'), ['switchyard_trace_queue_depth 3']);
  });

  it('uses a private registry with default process metrics; instances do not collide', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.observe(scenario().ok, 0.0025);
    const text = await second.render();
    assert.deepEqual(samples(text, 'switchyard_requests_total'), []);
    assert.match(text, /^process_cpu_user_seconds_total \d/m);
    assert.match(text, /^nodejs_heap_size_used_bytes \d/m);
    assert.match(text, /^nodejs_eventloop_lag_p99_seconds \d/m, 'event-loop lag is still sampled');
    assert.equal(globalRegistry.getSingleMetric('switchyard_requests_total'), undefined);
    assert.match(first.contentType, /^text\/plain; version=0\.0\.4/);
  });

  it('maps statuses to classes', () => {
    assert.deepEqual([200, 299, 404, 499, 529, 0, undefined].map(statusClass), [
      '2xx',
      '2xx',
      '4xx',
      '4xx',
      '5xx',
      'unknown',
      'unknown',
    ]);
  });
});

describe('counts between scrapes', () => {
  it('adds what was observed since the last scrape to the totals already reported', async () => {
    const metrics = createMetrics();
    const { ok } = scenario();
    metrics.observe(ok, 0.01);
    const first = samples(await metrics.render(), 'switchyard_requests_total');
    metrics.observe(ok, 0.01);
    metrics.observe(ok, 0.01);
    const second = samples(await metrics.render(), 'switchyard_requests_total');
    const third = samples(await metrics.render(), 'switchyard_requests_total');
    const line =
      'switchyard_requests_total{protocol="openai-chat",provider="openai",model="gpt-4o",status_class="2xx"}';
    assert.deepEqual(first, [`${line} 1`]);
    assert.deepEqual(second, [`${line} 3`]);
    assert.deepEqual(third, second, 'a scrape with nothing new reports the same totals');
  });
});
