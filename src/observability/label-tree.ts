/**
 * Per-label-set state found by walking one Map per label value: no key string is built per lookup, which
 * on the request path (several metrics per request) cost more than the increments themselves.
 */
export class LabelTree<T> {
  readonly #depth: number;
  readonly #root = new Map<string, unknown>();
  #leafless: T | undefined;
  /** every entry, in creation order, for whoever reads them out */
  readonly entries: T[] = [];

  constructor(depth: number) {
    this.#depth = depth;
  }

  /** The entry for these label values (as many as the tree's depth), created by `create` the first time. */
  get(values: readonly string[], create: (values: readonly string[]) => T): T {
    if (this.#depth === 0) {
      if (this.#leafless === undefined) {
        this.#leafless = create(values);
        this.entries.push(this.#leafless);
      }
      return this.#leafless;
    }
    let node = this.#root;
    const last = this.#depth - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i], next);
      }
      node = next;
    }
    let entry = node.get(values[last]) as T | undefined;
    if (entry === undefined) {
      entry = create(values);
      node.set(values[last], entry);
      this.entries.push(entry);
    }
    return entry;
  }
}
