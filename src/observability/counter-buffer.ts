import type { Counter } from 'prom-client';
import { LabelTree } from './label-tree.ts';

interface Pending<L extends string> {
  labels: Record<L, string>;
  value: number;
}

/**
 * Counts kept in plain objects on the hot path and handed to a prom-client counter when it is scraped
 * (or read): prom-client validates and hashes the labels on every `inc`, which costs more than the
 * request's own bookkeeping. Label values arrive in the counter's label-name order.
 */
export class CounterBuffer<L extends string> {
  readonly #names: readonly L[];
  readonly #pending: LabelTree<Pending<L>>;
  #counter: Counter<L> | undefined;

  constructor(names: readonly L[]) {
    this.#names = names;
    this.#pending = new LabelTree(names.length);
  }

  /** The counter to flush into; call `flush()` from its `collect`. */
  attach(counter: Counter<L>): void {
    this.#counter = counter;
  }

  inc(value: number, ...values: string[]): void {
    this.#pending.get(values, this.#create).value += value;
  }

  flush(): void {
    const counter = this.#counter;
    if (!counter) return;
    for (const pending of this.#pending.entries) {
      if (pending.value === 0) continue;
      counter.inc(pending.labels, pending.value);
      pending.value = 0;
    }
  }

  readonly #create = (values: readonly string[]): Pending<L> => {
    const labels = {} as Record<L, string>;
    for (let i = 0; i < this.#names.length; i++) labels[this.#names[i]] = values[i];
    return { labels, value: 0 };
  };
}
