// An upstream response body fed straight by undici's dispatcher: chunks wait here until they are read,
// and the socket is paused while too much waits. It replaces undici's Readable body on the hot path: no
// stream state machine, no nextTick per event, one small queue.
import type { CancelTarget } from './cancellation.ts';

/** bytes waiting unread before the upstream socket is paused */
const HIGH_WATER_MARK = 64 * 1024;

export class ReplyBody implements AsyncIterable<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  /** undici's resume, kept while the socket is paused */
  #resume: (() => void) | undefined;
  readonly #resumeSocket: () => void;
  /** aborts the upstream request */
  readonly #request: CancelTarget;

  constructor(request: CancelTarget, resume: () => void) {
    this.#request = request;
    this.#resumeSocket = resume;
  }

  // ---- fed by the dispatcher

  /** false asks undici to pause the socket until the reader catches up */
  push(chunk: Uint8Array): boolean {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    this.#wakeReader();
    if (this.#buffered < HIGH_WATER_MARK) return true;
    this.#resume = this.#resumeSocket;
    return false;
  }

  end(): void {
    this.#ended = true;
    this.#wakeReader();
  }

  fail(error: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = error;
    this.#wakeReader();
  }

  // ---- read by the gateway

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      while (true) {
        const chunk = this.#take();
        if (chunk) yield chunk;
        else if (this.#error) throw this.#error;
        else if (this.#ended) return;
        else await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      // the reader stopped before the end (client gone, failover): stop the upstream too
      if (!this.#ended && !this.#error) this.destroy();
    }
  }

  /** The whole body, as one buffer (no copy when it came in one chunk). */
  async bytes(): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this) chunks.push(chunk);
    if (chunks.length === 1) {
      const only = chunks[0];
      return Buffer.isBuffer(only) ? only : Buffer.from(only.buffer, only.byteOffset, only.byteLength);
    }
    return Buffer.concat(chunks);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** Stops reading: the upstream request is aborted and whatever waits is dropped. */
  destroy(error?: Error): void {
    if (this.#ended || this.#error) return;
    const reason = error ?? new Error('upstream body destroyed');
    this.#error = reason;
    this.#chunks = [];
    this.#buffered = 0;
    this.#request.cancel(reason);
    this.#wakeReader();
  }

  #take(): Uint8Array | undefined {
    const chunk = this.#chunks.shift();
    if (!chunk) return undefined;
    this.#buffered -= chunk.byteLength;
    if (this.#resume && this.#buffered < HIGH_WATER_MARK) {
      const resume = this.#resume;
      this.#resume = undefined;
      resume();
    }
    return chunk;
  }

  #wakeReader(): void {
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      wake();
    }
  }
}
