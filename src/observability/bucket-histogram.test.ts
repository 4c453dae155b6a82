import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { BucketHistogram } from './bucket-histogram.ts';

test('bounds are inclusive, larger values count only in +Inf, and the text matches Prometheus exposition', async () => {
  const registry = new Registry();
  const histogram = new BucketHistogram({
    name: 'h_seconds',
    help: 'help',
    labelNames: ['provider', 'model'],
    buckets: [0.1, 1],
    registers: [registry],
  });
  histogram.observe(0.1, 'p', 'm');
  histogram.observe(0.5, 'p', 'm');
  histogram.observe(7, 'p', 'm');
  histogram.observe(Number.NaN, 'p', 'm');
  histogram.observe(2, 'q', 'm');
  const text = await registry.metrics();
  assert.equal(
    text,
    [
      '# HELP h_seconds help',
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{le="0.1",provider="p",model="m"} 1',
      'h_seconds_bucket{le="1",provider="p",model="m"} 2',
      'h_seconds_bucket{le="+Inf",provider="p",model="m"} 3',
      'h_seconds_sum{provider="p",model="m"} 7.6',
      'h_seconds_count{provider="p",model="m"} 3',
      'h_seconds_bucket{le="0.1",provider="q",model="m"} 0',
      'h_seconds_bucket{le="1",provider="q",model="m"} 0',
      'h_seconds_bucket{le="+Inf",provider="q",model="m"} 1',
      'h_seconds_sum{provider="q",model="m"} 2',
      'h_seconds_count{provider="q",model="m"} 1',
      '',
    ].join('\n'),
  );
  registry.resetMetrics();
  assert.equal(await registry.metrics(), '# HELP h_seconds help\n# TYPE h_seconds histogram\n');
});
