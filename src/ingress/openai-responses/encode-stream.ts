import type { EncodeContext } from '../../core/adapters.ts';
import { GatewayError, isGatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { ResponsesStreamState } from './stream-state.ts';

/**
 * Canonical events → Responses API SSE (`event: <type>` + `data:` with `type` and `sequence_number`).
 * Ends with response.completed / response.incomplete, or with `error` + `response.failed` when the
 * events report an error, throw, or stop before `response-end` — never with a clean end it did not get.
 */
export async function* encodeStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  const state = new ResponsesStreamState(context);
  try {
    for await (const event of events) {
      yield* state.handle(event);
      if (state.finished) return;
    }
  } catch (error) {
    yield* state.fail(asGatewayError(error));
    return;
  }
  yield* state.fail(
    new GatewayError('upstream_stream_broken', 'The upstream stream ended before the response was complete'),
  );
}

function asGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  return new GatewayError('upstream_stream_broken', 'The upstream stream failed', { cause: error });
}
