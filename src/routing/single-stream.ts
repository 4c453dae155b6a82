// The stream of an attempt that nothing could follow (one deployment, no retries left): the hot path.
// No failover machinery, no capture, no priming: the codec's (or encoder's) frames go straight to the
// client, as many async layers as before routing existed; health is still learned from how it ended.
import { GatewayError } from '../core/errors.ts';
import type { StreamEvent } from '../core/stream-events.ts';
import { type ExecutionInput, encodeContext, finishAttempt, type OpenStream } from './attempt.ts';
import { collectResponse } from './collect-response.ts';

export function singleAttemptStream(
  input: ExecutionInput,
  opened: OpenStream,
): AsyncIterable<string | Uint8Array> {
  if (opened.passthrough) {
    const chunks = opened.passthrough.tapStream(opened.reply.body, opened.tap, {
      requestId: input.record.requestId,
      stripUsage: opened.stripUsage,
      costUsd: input.costSoFar,
    });
    // The codec ends a broken stream with its error frame; a finish reason is how a good end is known.
    return settled(input, opened, chunks, () => input.record.finishReason !== undefined);
  }
  const outcome = { finished: false };
  const request = opened.request ?? input.canonical();
  let events = tapEvents(opened.adapter.parseStream(opened.reply.body, request), opened, outcome);
  if (input.onCanonicalResponse) events = collectResponse(events, input.onCanonicalResponse);
  const chunks = input.ingress.encodeStream(events, {
    ...encodeContext(input),
    includeUsage: input.includeUsage,
  });
  return settled(input, opened, chunks, () => outcome.finished);
}

async function* settled<T>(
  input: ExecutionInput,
  opened: OpenStream,
  chunks: AsyncIterable<T>,
  finished: () => boolean,
): AsyncGenerator<T> {
  let completed = false;
  try {
    yield* chunks;
    completed = true;
  } finally {
    if (completed && finished()) finishAttempt(input.router, opened.candidate, opened.tap, true);
    else {
      opened.tap.end();
      // a stream that ended badly (not one the client walked away from) counts against the deployment
      if (completed) input.router.health.recordFailure(opened.candidate.key, input.router.now());
    }
  }
}

/** Usage, first token, finish and model for the tap; an error event marks the attempt failed. */
async function* tapEvents(
  events: AsyncIterable<StreamEvent>,
  opened: OpenStream,
  outcome: { finished: boolean },
): AsyncGenerator<StreamEvent> {
  const tap = opened.tap;
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
      outcome.finished = true;
    } else if (event.type === 'error') tap.fail(asError(event.error));
    yield event;
  }
}

function asError(error: unknown): GatewayError {
  return error instanceof GatewayError
    ? error
    : new GatewayError('upstream_stream_broken', 'Upstream stream failed', { cause: error });
}
