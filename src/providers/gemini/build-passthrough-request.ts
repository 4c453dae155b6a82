// Gemini client → Gemini provider: the client's body goes upstream as it is; only the model (in the
// URL) and the key (in the x-goog-api-key header) change.
import type { PassthroughContext, UpstreamRequest } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import { geminiHeaders, modelUrl } from './build-request.ts';

export const PASSTHROUGH_METHODS = new Set([
  ':generateContent',
  ':streamGenerateContent',
  ':countTokens',
  ':embedContent',
  ':batchEmbedContents',
]);

export function buildPassthroughRequest(
  body: Record<string, unknown>,
  context: PassthroughContext,
): UpstreamRequest {
  const { provider, deployment } = context.target;
  if (!PASSTHROUGH_METHODS.has(context.path)) {
    throw new GatewayError('not_found', `Unknown Gemini method ${context.path}`);
  }
  const renamed = renameInnerModels(body, deployment.model);
  return {
    method: 'POST',
    url: `${modelUrl(provider, deployment.model)}${context.path}${streamQuery(context)}`,
    headers: geminiHeaders(provider),
    // the inner model names are changed in place, so that body is encoded whole
    body: renamed ? JSON.stringify(body) : context.encodeBody(body),
  };
}

/** Streaming keeps the client's `alt` (SSE unless it asked for the JSON array form); no other query. */
export function streamQuery(context: PassthroughContext): string {
  if (context.path !== ':streamGenerateContent') return '';
  const alt = context.query?.get('alt') || 'sse';
  return `?alt=${encodeURIComponent(alt)}`;
}

/** batchEmbedContents requests and countTokens' generateContentRequest repeat `models/{model}` in the body. */
function renameInnerModels(body: Record<string, unknown>, model: string): boolean {
  const name = model.includes('/') ? model : `models/${model}`;
  let renamed = false;
  if (Array.isArray(body.requests)) {
    for (const item of body.requests) {
      if (typeof item === 'object' && item !== null && 'model' in item) {
        (item as Record<string, unknown>).model = name;
        renamed = true;
      }
    }
  }
  const inner = body.generateContentRequest;
  if (typeof inner === 'object' && inner !== null && 'model' in inner) {
    (inner as Record<string, unknown>).model = name;
    renamed = true;
  }
  return renamed;
}
