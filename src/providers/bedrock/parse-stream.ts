import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError, isGatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { decodeEventStream } from './event-stream-decoder.ts';
import { ConverseStreamState } from './stream-state.ts';

function brokenStream(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new GatewayError('upstream_stream_broken', `Bedrock event stream broken${detail}`, { cause: error });
}

/**
 * A ConverseStream body (binary event stream) → canonical events. Ends with `response-end` after
 * `messageStop` + `metadata` (without usage when the body ends between the two), or with one `error`
 * event: an exception frame, a corrupt or truncated frame, or a body that ends before `messageStop`.
 */
export async function* parseStream(
  body: AsyncIterable<Uint8Array>,
  request: CanonicalRequest,
): AsyncGenerator<StreamEvent> {
  const state = new ConverseStreamState(request);
  try {
    for await (const message of decodeEventStream(body)) {
      yield* state.handle(message);
      if (state.done) return;
    }
  } catch (error) {
    // after messageStop the answer is whole; only the usage (metadata) is lost
    if (!state.stoppedByModel) yield { type: 'error', error: brokenStream(error) };
    else yield* state.finishAtEnd();
    return;
  }
  yield* state.finishAtEnd();
}
