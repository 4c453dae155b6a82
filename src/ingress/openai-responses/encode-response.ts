import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import type { Json } from './json.ts';
import { functionCallItem, itemId, messageItem, reasoningItem, responseId } from './output-items.ts';
import { responseObject, statusFor } from './response-object.ts';

/** Canonical reply → Response object. Each content part is one output item, in order. */
export function encodeResponse(response: CanonicalResponse, context: EncodeContext): Json {
  const id = responseId(response.id, context.requestId);
  const output = response.content.map((part, index): Json => {
    if (part.type === 'text') return messageItem(itemId('msg', id, index), part.text, 'completed');
    if (part.type === 'tool-call') return functionCallItem(itemId('fc', id, index), part, 'completed');
    return reasoningItem(itemId('rs', id, index), part);
  });
  const { status, incompleteReason } = statusFor(response.finishReason);
  return responseObject(
    {
      id,
      createdAt: response.created ?? Math.floor(Date.now() / 1000),
      model: response.model || context.requestedModel,
      status,
      output,
      usage: response.usage,
      incompleteReason,
      error:
        status === 'failed'
          ? { code: 'server_error', message: `The response failed (${response.rawFinishReason ?? 'error'})` }
          : undefined,
    },
    context.request,
  );
}
