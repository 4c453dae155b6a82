import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import type { Json } from './json.ts';
import {
  callSignatureItem,
  functionCallItem,
  itemId,
  messageItem,
  reasoningItem,
  responseId,
} from './output-items.ts';
import { responseObject, statusFor } from './response-object.ts';

/**
 * Canonical reply → Response object. Each content part is one output item, in order; a function call
 * carrying its own signature is preceded by the reasoning item that holds it (output-items.ts).
 */
export function encodeResponse(response: CanonicalResponse, context: EncodeContext): Json {
  const id = responseId(response.id, context.requestId);
  const output: Json[] = [];
  for (const part of response.content) {
    if (part.type === 'text')
      output.push(messageItem(itemId('msg', id, output.length), part.text, 'completed'));
    else if (part.type === 'reasoning') output.push(reasoningItem(itemId('rs', id, output.length), part));
    else {
      if (part.signature) output.push(callSignatureItem(part.id, part.signature));
      output.push(functionCallItem(itemId('fc', id, output.length), part, 'completed'));
    }
  }
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
