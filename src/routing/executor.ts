// Runs a plan: the first deployment that answers serves the request. Failures before the reply starts
// fall through (attempt-walker.ts decides: retry with backoff, next deployment, or stop); a stream that
// dies later is continued on the next deployment (failover-stream.ts). A streamed reply is returned
// only once its first frame exists, so a stream that fails before anything could reach the client
// still gets a proper HTTP error, and the response headers name the deployment that really answers.
// When nothing could follow the attempt (one deployment, no retries), the stream takes the lean path
// of single-stream.ts: no failover machinery at all.
import type { Target } from '../core/adapters.ts';
import { GatewayError } from '../core/errors.ts';
import { type ExecutionInput, openAttempt } from './attempt.ts';
import { AttemptWalker } from './attempt-walker.ts';
import type { Candidate } from './candidate.ts';
import { ExecutionState } from './execution-state.ts';
import { FailoverStream } from './failover-stream.ts';
import { singleAttemptStream } from './single-stream.ts';

export type { ExecutionInput } from './attempt.ts';

export type ExecutionOutcome =
  | { kind: 'json'; status: number; body: unknown; raw?: Uint8Array; target: Target; warnings: string[] }
  | { kind: 'stream'; chunks: AsyncIterable<string | Uint8Array>; target: Target; warnings: string[] }
  | { kind: 'error'; error: GatewayError; warnings: string[] };

export async function execute(input: ExecutionInput): Promise<ExecutionOutcome> {
  const walker = new AttemptWalker(input.plan, input.router, input.cancellation);
  const state = new ExecutionState(input.plan.route);
  input.record.route = input.plan.route;
  let streaming = false;
  try {
    let candidate: Candidate | undefined = walker.first();
    while (candidate) {
      const opened = await openAttempt(input, candidate);
      state.warnings = opened.warnings;
      if (opened.kind === 'json') {
        const { status, body, raw, warnings } = opened;
        return { kind: 'json', status, body, raw, target: candidate.target, warnings };
      }
      if (opened.kind === 'stream') {
        streaming = true;
        if (!walker.hasMore()) {
          const chunks = singleAttemptStream(input, opened);
          return { kind: 'stream', chunks, target: candidate.target, warnings: state.warnings };
        }
        const stream = new FailoverStream(input, walker, state, opened);
        const chunks = await primed(stream);
        if (chunks)
          return { kind: 'stream', chunks, target: stream.serving.target, warnings: state.warnings };
        const error =
          stream.failure ?? new GatewayError('upstream_stream_broken', 'Upstream sent an empty stream');
        return { kind: 'error', error, warnings: state.warnings };
      }
      state.failures.push({ candidate, error: opened.error });
      candidate = await walker.next(opened.error);
    }
    return { kind: 'error', error: state.finalError(walker), warnings: state.warnings };
  } finally {
    if (!streaming) walker.releaseUntried();
  }
}

/** Waits for the stream's first frame; undefined when it ended without any. */
async function primed(stream: FailoverStream): Promise<AsyncIterable<string | Uint8Array> | undefined> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  return first.done ? undefined : new Primed(first, iterator);
}

/** An iterator that replays the frame already read, then reads on: no extra async layer per frame. */
class Primed<T> implements AsyncIterableIterator<T> {
  private first: IteratorResult<T> | undefined;
  private readonly inner: AsyncIterator<T>;

  constructor(first: IteratorResult<T>, inner: AsyncIterator<T>) {
    this.first = first;
    this.inner = inner;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.first;
    if (!first) return this.inner.next();
    this.first = undefined;
    return Promise.resolve(first);
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    this.first = undefined;
    return this.inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
  }
}
