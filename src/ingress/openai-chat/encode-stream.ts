import type { EncodeContext } from '../../core/adapters.ts';
import type { Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { sseFrame } from '../../transport/sse.ts';
import { errorBody } from './encode-error.ts';
import { ReasoningDetailsCollector } from './encode-reasoning-details.ts';
import { completionId } from './encode-response.ts';
import { encodeUsage } from './encode-usage.ts';
import { toOpenAIFinishReason } from './map-finish-reason.ts';

/** Canonical events → OpenAI chat.completion.chunk frames, ending in `[DONE]` or an error frame. */
export async function* encodeStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  let head = {
    id: completionId('', context),
    created: Math.floor(Date.now() / 1000),
    model: context.requestedModel,
  };
  const toolPositions = new Map<number, number>();
  let usage: Usage | undefined;
  const reasoning = new ReasoningDetailsCollector();
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sseFrame(
      JSON.stringify({
        id: head.id,
        object: 'chat.completion.chunk',
        created: head.created,
        model: head.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      }),
    );
  try {
    for await (const event of events) {
      reasoning.onEvent(event);
      switch (event.type) {
        case 'response-start':
          head = {
            id: completionId(event.id, context),
            created: event.created ?? head.created,
            model: event.model || head.model,
          };
          yield chunk({ role: 'assistant', content: '', refusal: null });
          break;
        case 'text-delta':
          yield chunk({ content: event.delta });
          break;
        case 'reasoning-delta':
          yield chunk({ reasoning_content: event.delta });
          break;
        case 'tool-call-start': {
          const position = toolPositions.size;
          toolPositions.set(event.index, position);
          const call = {
            index: position,
            id: event.id,
            type: 'function',
            function: { name: event.name, arguments: '' },
          };
          yield chunk({ tool_calls: [call] });
          break;
        }
        case 'tool-call-delta':
          yield chunk({
            tool_calls: [
              { index: toolPositions.get(event.index) ?? 0, function: { arguments: event.argumentsDelta } },
            ],
          });
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'response-end': {
          const details = reasoning.details();
          if (details.length) yield chunk({ reasoning_details: details });
          yield chunk({}, toOpenAIFinishReason(event.finishReason));
          const finalUsage = event.usage ?? usage;
          if (context.includeUsage && finalUsage) {
            yield sseFrame(
              JSON.stringify({
                id: head.id,
                object: 'chat.completion.chunk',
                created: head.created,
                model: head.model,
                choices: [],
                usage: { ...encodeUsage(finalUsage), ...(context.costUsd && { cost: context.costUsd() }) },
              }),
            );
          }
          yield sseFrame('[DONE]');
          return;
        }
        case 'error':
          yield sseFrame(JSON.stringify(errorBody(event.error)));
          return;
        default:
          break;
      }
    }
  } catch (error) {
    yield sseFrame(JSON.stringify(errorBody(asGatewayError(error))));
    return;
  }
  yield sseFrame(
    JSON.stringify(
      errorBody(
        new GatewayError('upstream_stream_broken', 'Upstream stream ended before the response finished'),
      ),
    ),
  );
}

function asGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError
    ? error
    : new GatewayError('upstream_stream_broken', 'Upstream stream failed', { cause: error });
}
