import type { Metric, Registry } from 'prom-client';
import { LabelTree } from './label-tree.ts';

interface Series {
  labels: Record<string, string>;
  /** observations per bucket (not cumulative); the last slot is +Inf */
  counts: Float64Array;
  sum: number;
  count: number;
}

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

export interface BucketHistogramOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** upper bounds, ascending */
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A Prometheus histogram for the request path: an observation is a bucket search and three additions on
 * a series found without building a key (prom-client's Histogram validates and hashes its labels on every
 * `observe`). Registered with prom-client registries, which read it through `get()` at scrape time, like
 * their own metrics. Label values arrive in label-name order.
 */
export class BucketHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #labelNames: readonly L[];
  readonly #bounds: readonly number[];
  #series: LabelTree<Series>;

  constructor(options: BucketHistogramOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.#labelNames = options.labelNames;
    this.#bounds = options.buckets;
    this.#series = new LabelTree(options.labelNames.length);
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number, ...labelValues: string[]): void {
    if (!Number.isFinite(value)) return;
    const series = this.#series.get(labelValues, this.#create);
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += value;
    series.count++;
  }

  /** Cumulative buckets, sum and count per label set, in prom-client's metric shape. */
  async get() {
    const values: Sample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.#series.entries) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += series.counts[i];
        values.push({
          labels: { le: this.#bounds[i], ...series.labels },
          value: cumulative,
          metricName: bucketName,
        });
      }
      values.push({ labels: { le: '+Inf', ...series.labels }, value: series.count, metricName: bucketName });
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.#series = new LabelTree(this.#labelNames.length);
  }

  readonly #create = (labelValues: readonly string[]): Series => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < this.#labelNames.length; i++) labels[this.#labelNames[i]] = labelValues[i];
    return { labels, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
  };
}
