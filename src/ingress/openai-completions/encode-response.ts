import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { completionId, encodeUsage, toCompletionsFinishReason } from './completion-fields.ts';
import { echoPrefix } from './echo.ts';

/** Canonical response → `text_completion`. Reasoning is dropped; the prompt leads the text when echo was asked. */
export function encodeResponse(response: CanonicalResponse, context: EncodeContext): Record<string, unknown> {
  let text = echoPrefix(context);
  for (const part of response.content) if (part.type === 'text') text += part.text;
  return {
    id: completionId(response.id, context),
    object: 'text_completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || context.requestedModel,
    choices: [
      { text, index: 0, logprobs: null, finish_reason: toCompletionsFinishReason(response.finishReason) },
    ],
    usage: encodeUsage(response.usage),
  };
}
