import type { EncodeContext } from '../../core/adapters.ts';
import type { CanonicalResponse } from '../../core/canonical.ts';
import { encodeParts } from './encode-parts.ts';
import { toGeminiFinishReason } from './map-finish-reason.ts';
import { toUsageMetadata } from './usage-metadata.ts';
import type { GeminiGenerateContentResponse } from './wire-types.ts';

export function encodeGenerateContentResponse(
  response: CanonicalResponse,
  context: EncodeContext,
): GeminiGenerateContentResponse {
  return {
    candidates: [
      {
        content: { parts: encodeParts(response.content), role: 'model' },
        finishReason: toGeminiFinishReason(response.finishReason, response.rawFinishReason),
        index: 0,
      },
    ],
    usageMetadata: toUsageMetadata(response.usage),
    modelVersion: response.model || context.requestedModel,
    responseId: response.id || context.requestId,
  };
}
