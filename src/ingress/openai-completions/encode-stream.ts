import type { EncodeContext } from '../../core/adapters.ts';
import type { FinishReason, Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sseFrame } from '../../transport/sse.ts';
import { errorBody } from '../openai-chat/encode-error.ts';
import { completionId, encodeUsage, toCompletionsFinishReason } from './completion-fields.ts';
import { echoPrefix } from './echo.ts';

interface StreamState {
  id: string;
  created: number;
  model: string;
  /** prompt still to be sent in front of the first text (echo), '' once sent or when not asked */
  pendingEcho: string;
  usage?: Usage;
  includeUsage: boolean;
  /** set by response-end or error: nothing may follow */
  done: boolean;
}

/**
 * Canonical events → legacy `text_completion` frames: one per text delta, a final frame with the
 * finish reason, a usage frame when asked (`stream_options.include_usage`), then `[DONE]`. An error
 * event, a failing iterable or one that ends without `response-end` becomes an error frame and no `[DONE]`.
 */
export async function* encodeStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  const state: StreamState = {
    id: completionId('', context),
    created: Math.floor(Date.now() / 1000),
    model: context.requestedModel,
    pendingEcho: echoPrefix(context),
    includeUsage: context.includeUsage === true,
    done: false,
  };
  try {
    for await (const event of events) {
      yield* handleEvent(state, event, context);
      if (state.done) return;
    }
  } catch (error) {
    yield errorFrame(asGatewayError(error));
    return;
  }
  yield errorFrame(
    new GatewayError('upstream_stream_broken', 'Upstream stream ended before the response finished'),
  );
}

function handleEvent(state: StreamState, event: StreamEvent, context: EncodeContext): string[] {
  switch (event.type) {
    case 'response-start':
      state.id = completionId(event.id, context);
      state.created = event.created ?? state.created;
      state.model = event.model || state.model;
      return flushEcho(state);
    case 'text-delta':
      return event.delta ? [...flushEcho(state), textFrame(state, event.delta, null)] : [];
    case 'usage':
      state.usage = event.usage;
      return [];
    case 'response-end':
      return onEnd(state, event.finishReason, event.usage ?? state.usage, context);
    case 'error':
      state.done = true;
      return [errorFrame(event.error)];
    default:
      // reasoning and tool calls have no place in a text completion
      return [];
  }
}

function onEnd(
  state: StreamState,
  reason: FinishReason,
  usage: Usage | undefined,
  context: EncodeContext,
): string[] {
  state.done = true;
  const frames = [...flushEcho(state), textFrame(state, '', toCompletionsFinishReason(reason))];
  if (state.includeUsage && usage) {
    // OpenRouter-style usage.cost, as on the chat endpoint
    const cost = context.costUsd ? { cost: context.costUsd() } : undefined;
    const chunk = { ...head(state), choices: [], usage: { ...encodeUsage(usage), ...cost } };
    frames.push(sseFrame(JSON.stringify(chunk)));
  }
  frames.push(sseFrame('[DONE]'));
  return frames;
}

function flushEcho(state: StreamState): string[] {
  if (!state.pendingEcho) return [];
  const text = state.pendingEcho;
  state.pendingEcho = '';
  return [textFrame(state, text, null)];
}

function head(state: StreamState) {
  return { id: state.id, object: 'text_completion', created: state.created, model: state.model };
}

function textFrame(state: StreamState, text: string, finishReason: string | null): string {
  const chunk = {
    ...head(state),
    choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }],
  };
  return sseFrame(JSON.stringify(chunk));
}

function errorFrame(error: GatewayError): string {
  return sseFrame(JSON.stringify(errorBody(error)));
}

function asGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError
    ? error
    : new GatewayError('upstream_stream_broken', 'Upstream stream failed', { cause: error });
}
