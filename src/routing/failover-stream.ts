// A streamed reply that survives its upstream: when the stream dies (connection lost, idle timeout,
// malformed data, a retryable error event) it goes on on the next deployment, and the client sees one
// uninterrupted stream that ends properly (see continuation.ts for how the rest is asked for).
//
// Translated streams: canonical events go through one encoder for the whole response; a continuation's
// events are fitted onto the same encoder. Passthrough streams: bytes go through untouched; on death the
// bytes sent are parsed back into canonical events (passthrough-capture.ts) and the continuation is
// encoded in the client's protocol after a silent replay of those events, so ids and indexes match.
//
// Nothing reached the client yet (the first attempt failed before its first frame): the stream ends
// with `failure` set and no frame, and the executor answers with a proper HTTP error instead.
import { addUsage, type CanonicalRequest, type Usage } from '../core/canonical.ts';
import { GatewayError } from '../core/errors.ts';
import type { StreamEvent } from '../core/stream-events.ts';
import { estimateUsage } from '../pricing/index.ts';
import {
  type AttemptTapHandle,
  type ExecutionInput,
  encodeContext,
  failAttempt,
  finishAttempt,
  type OpenStream,
  openAttempt,
} from './attempt.ts';
import { type AttemptWalker, classifyFailure } from './attempt-walker.ts';
import type { Candidate } from './candidate.ts';
import { collectResponse } from './collect-response.ts';
import {
  type ContinuationMode,
  continuationMode,
  continuationRequest,
  continueStream,
} from './continuation.ts';
import type { ExecutionState } from './execution-state.ts';
import { PassthroughCapture, recoverEvents, resyncAfter, separatorAfter } from './passthrough-capture.ts';
import { StreamLedger } from './stream-ledger.ts';

interface Running {
  candidate: Candidate;
  tap: AttemptTapHandle;
  events: AsyncIterable<StreamEvent>;
  /** hold tool calls back until the response ends (a failover could still redo them) */
  hold: boolean;
}

type PumpResult = undefined | { error: GatewayError; continuable: boolean };

export class FailoverStream implements AsyncIterable<string | Uint8Array> {
  /** the deployment answering now */
  serving: Candidate;
  /** set when the stream failed before anything reached the client */
  failure?: GatewayError;
  private emitted = false;
  private readonly ledger = new StreamLedger();
  private readonly input: ExecutionInput;
  private readonly walker: AttemptWalker;
  private readonly state: ExecutionState;
  private readonly first: OpenStream;

  constructor(input: ExecutionInput, walker: AttemptWalker, state: ExecutionState, first: OpenStream) {
    this.input = input;
    this.walker = walker;
    this.state = state;
    this.first = first;
    this.serving = first.candidate;
  }

  [Symbol.asyncIterator](): AsyncIterator<string | Uint8Array> {
    const frames = this.first.passthrough
      ? this.passthroughFrames(this.first)
      : this.encode(this.events(this.run(this.first)), []);
    return frames[Symbol.asyncIterator]();
  }

  /** Encodes canonical events in the client's protocol; `replay` events re-create the encoder's state silently. */
  private async *encode(
    events: AsyncIterable<StreamEvent>,
    replay: StreamEvent[],
    lead = '',
  ): AsyncGenerator<string | Uint8Array> {
    let live = replay.length === 0;
    const replayed = async function* () {
      yield* replay;
      live = true;
      yield* events;
    };
    const input = this.input;
    const source = live ? events : replayed();
    const all = input.onCanonicalResponse ? collectResponse(source, input.onCanonicalResponse) : source;
    const context = { ...encodeContext(input), includeUsage: input.includeUsage };
    let prefix = lead;
    try {
      for await (const frame of input.ingress.encodeStream(all, context)) {
        if (!live || (this.failure && !this.emitted)) continue;
        this.emitted = true;
        if (prefix) {
          yield prefix;
          prefix = '';
        }
        yield frame;
      }
    } finally {
      this.walker.releaseUntried();
    }
  }

  /** The canonical events of the whole response, attempt after attempt. */
  private async *events(first: Running | undefined, pending?: GatewayError, deadTap?: AttemptTapHandle) {
    let run = first;
    let error = pending;
    let tap = deadTap;
    while (true) {
      if (run) {
        const result: PumpResult = yield* this.pump(run);
        if (!result) return;
        if (!result.continuable) return yield* this.fail(this.state.finalError(this.walker));
        error = result.error;
        tap = run.tap;
      }
      run = await this.failover(error!, tap!);
      if (!run) return yield* this.fail(this.state.finalError(this.walker));
    }
  }

  private *fail(error: GatewayError): Generator<StreamEvent> {
    if (this.emitted) yield { type: 'error', error };
    else this.failure = error;
  }

  /** One attempt's events to the encoder; returns why it stopped, or undefined when it finished. */
  private async *pump(run: Running): AsyncGenerator<StreamEvent, PumpResult> {
    const held: StreamEvent[] = [];
    const toolIndexes = new Set<number>();
    let settled = false;
    const broke = (error: GatewayError): PumpResult => {
      settled = true;
      failAttempt(this.input.router, run.candidate, run.tap, error);
      this.state.failures.push({ candidate: run.candidate, error });
      return { error, continuable: this.mayFailOver(error) };
    };
    try {
      for await (const event of run.events) {
        if (event.type === 'error') return broke(event.error);
        if (run.hold && holdable(event, toolIndexes)) {
          held.push(event);
          continue;
        }
        if (held.length > 0 && event.type !== 'usage') yield* this.release(held);
        this.ledger.observe(event);
        yield event;
        if (event.type === 'response-end') {
          settled = true;
          finishAttempt(this.input.router, run.candidate, run.tap, true);
          return undefined;
        }
      }
    } catch (error) {
      return broke(streamError(error));
    } finally {
      if (!settled) run.tap.end();
    }
    return broke(
      new GatewayError('upstream_stream_broken', 'Upstream stream ended before the response finished'),
    );
  }

  private *release(held: StreamEvent[]): Generator<StreamEvent> {
    for (const event of held) {
      this.ledger.observe(event);
      yield event;
    }
    held.length = 0;
  }

  private mayFailOver(error: GatewayError): boolean {
    if (this.input.cancellation.cancelled || classifyFailure(error) === 'stop' || !this.walker.hasMore())
      return false;
    return this.input.router.settings.midstreamFailover || !this.emitted;
  }

  /** Starts the next deployment on the rest of the answer; undefined when none can. */
  private async failover(error: GatewayError, deadTap: AttemptTapHandle): Promise<Running | undefined> {
    const from = this.serving;
    await this.settleUsage(deadTap);
    const original = this.input.canonical();
    let failure = error;
    while (true) {
      const candidate = await this.walker.next(failure);
      if (!candidate) return undefined;
      const decision = continuationMode(this.ledger, candidate, original);
      if ('refused' in decision) {
        this.state.noteFailover(from, candidate, 'refused', this.ledger.text().length, decision.refused);
        this.state.refusal = decision.refused;
        return undefined;
      }
      const request = continuationRequest(original, this.ledger.text(), decision.mode);
      this.state.noteFailover(from, candidate, decision.mode, this.ledger.text().length, failure.message);
      const opened = await openAttempt(this.input, candidate, request);
      if (opened.kind === 'error') {
        this.state.failures.push({ candidate, error: opened.error });
        failure = opened.error;
        continue;
      }
      if (opened.kind !== 'stream') return undefined;
      this.serving = candidate;
      return this.run(opened, decision.mode);
    }
  }

  private run(opened: OpenStream, mode?: ContinuationMode): Running {
    const request: CanonicalRequest = opened.request ?? this.input.canonical();
    const tapped = tapEvents(opened.adapter.parseStream(opened.reply.body, request), opened.tap);
    const router = this.input.router;
    return {
      candidate: opened.candidate,
      tap: opened.tap,
      events: mode ? continueStream(tapped, this.ledger, mode) : tapped,
      hold: router.settings.midstreamFailover && this.walker.hasMore(),
    };
  }

  /** A dead attempt is billed too: its reported usage, or an estimate of what it had produced. */
  private async settleUsage(tap: AttemptTapHandle): Promise<void> {
    const reported = tap.attempt.usage;
    let usage: Usage | undefined = reported;
    if (!reported || reported.outputTokens <= 1) {
      const estimate = await estimateUsage(this.input.canonical(), this.ledger.parts()).catch(
        () => undefined,
      );
      if (estimate)
        usage = reported
          ? {
              ...reported,
              outputTokens: Math.max(reported.outputTokens, estimate.outputTokens),
              estimated: true,
            }
          : estimate;
    }
    if (!usage) return;
    tap.attempt.usage = usage;
    const prior = this.ledger.priorUsage;
    this.ledger.priorUsage = prior ? addUsage(prior, usage) : usage;
  }

  private async *passthroughFrames(opened: OpenStream): AsyncGenerator<string | Uint8Array> {
    const capture = this.walker.hasMore() ? new PassthroughCapture() : undefined;
    let broken: GatewayError | undefined;
    const chunks = opened.passthrough!.tapStream(opened.reply.body, opened.tap, {
      requestId: this.input.record.requestId,
      stripUsage: opened.stripUsage,
      costUsd: this.input.costSoFar,
      ...(capture && {
        onBroken: (error: GatewayError) => {
          broken = error;
        },
      }),
    });
    let finished = false;
    try {
      for await (const chunk of chunks) {
        capture?.push(chunk);
        this.emitted = true;
        yield chunk;
      }
      finished = true;
    } finally {
      if (!finished) opened.tap.end();
      if (!finished || !broken) this.walker.releaseUntried();
    }
    if (!broken) return finishAttempt(this.input.router, opened.candidate, opened.tap, true);
    failAttempt(this.input.router, opened.candidate, opened.tap, broken);
    this.state.failures.push({ candidate: opened.candidate, error: broken });
    yield* this.resumePassthrough(opened, capture!, broken);
  }

  private async *resumePassthrough(opened: OpenStream, capture: PassthroughCapture, broken: GatewayError) {
    const protocol = this.input.ingress.protocol;
    const tail = capture.tail();
    const resync = capture.overflowed ? undefined : resyncAfter(protocol, tail);
    if (resync === undefined || !this.mayFailOver(broken)) {
      const final = this.state.finalError(this.walker);
      yield* this.encode(singleEvent(this.fail(final)), [], separatorAfter(protocol, tail));
      return;
    }
    const replay = await recoverEvents(opened.adapter, capture, this.input.canonical()).catch(() => []);
    for (const event of replay) this.ledger.observe(event);
    yield* this.encode(this.events(undefined, broken, opened.tap), replay, resync);
  }
}

async function* singleEvent(events: Iterable<StreamEvent>): AsyncGenerator<StreamEvent> {
  yield* events;
}

/** Tool-call events (and the end of a tool-call block) may be held back. */
function holdable(event: StreamEvent, toolIndexes: Set<number>): boolean {
  if (event.type === 'tool-call-start') {
    toolIndexes.add(event.index);
    return true;
  }
  if (event.type === 'tool-call-delta') return true;
  return event.type === 'block-end' && toolIndexes.has(event.index);
}

/** Reports usage, first token, finish and model to the attempt's tap; failures are the pump's to record. */
async function* tapEvents(
  events: AsyncIterable<StreamEvent>,
  tap: AttemptTapHandle,
): AsyncGenerator<StreamEvent> {
  let first = true;
  for await (const event of events) {
    if (first) {
      first = false;
      tap.onFirstByte();
    }
    if (event.type === 'response-start' && event.model) tap.onResponseModel(event.model);
    else if (event.type === 'usage') tap.onUsage(event.usage);
    else if (event.type === 'response-end') {
      if (event.usage) tap.onUsage(event.usage);
      tap.onFinish(event.rawFinishReason ?? event.finishReason);
    }
    yield event;
  }
}

function streamError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('upstream_stream_broken', 'Upstream connection failed mid-stream', {
    cause: error,
  });
}
