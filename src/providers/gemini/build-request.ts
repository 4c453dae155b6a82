// Canonical request → Gemini generateContent / streamGenerateContent upstream request.
import type { BuildContext, ProviderInstance, UpstreamRequest } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { fetchImageUrls } from './convert-media.ts';
import { convertMessages } from './convert-messages.ts';
import { convertTools } from './convert-tools.ts';
import { buildGenerationConfig } from './generation-config.ts';
import type { GeminiGenerateContentRequest } from './wire-types.ts';

/** Gemini request fields a Gemini-speaking client may carry in `extra`; forwarded as they are. */
const FORWARDED_EXTRA: Record<string, 'safetySettings' | 'cachedContent' | 'labels'> = {
  safetySettings: 'safetySettings',
  safety_settings: 'safetySettings',
  cachedContent: 'cachedContent',
  cached_content: 'cachedContent',
  labels: 'labels',
};

export interface GeminiBodyOptions {
  /** Vertex AI accepts `labels`; the Gemini API does not */
  vertex?: boolean;
}

/** The generateContent body; shared with the Vertex provider. */
export async function buildGeminiBody(
  request: CanonicalRequest,
  context: BuildContext,
  options: GeminiBodyOptions = {},
): Promise<GeminiGenerateContentRequest> {
  const warnings = context.warnings;
  const fetched = await fetchImageUrls(request.messages, context);
  const { systemInstruction, contents } = convertMessages(request.messages, warnings, fetched);
  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  Object.assign(body, convertTools(request, warnings));
  const generationConfig = buildGenerationConfig(request, warnings);
  if (generationConfig) body.generationConfig = generationConfig;
  if (request.user !== undefined) warnings.add('user: not supported by Gemini, ignored');
  if (request.metadata !== undefined) warnings.add('metadata: not supported by Gemini, ignored');
  applyExtra(body, request.extra, context, options.vertex === true);
  return body;
}

function applyExtra(
  body: GeminiGenerateContentRequest,
  extra: Record<string, unknown>,
  context: BuildContext,
  vertex: boolean,
): void {
  for (const [key, value] of Object.entries(extra ?? {})) {
    const field = FORWARDED_EXTRA[key];
    if (field === 'safetySettings') body.safetySettings = value;
    else if (field === 'cachedContent' && typeof value === 'string') body.cachedContent = value;
    else if (field === 'labels' && vertex && typeof value === 'object' && value !== null) {
      body.labels = value as Record<string, string>;
    } else context.warnings.add(`${key}: not supported by ${vertex ? 'Vertex AI' : 'Gemini'}, ignored`);
  }
}

export async function buildRequest(
  request: CanonicalRequest,
  context: BuildContext,
): Promise<UpstreamRequest> {
  const body = await buildGeminiBody(request, context);
  const { provider, deployment } = context.target;
  const method = request.stream ? ':streamGenerateContent?alt=sse' : ':generateContent';
  return {
    method: 'POST',
    url: `${modelUrl(provider, deployment.model)}${method}`,
    headers: geminiHeaders(provider),
    body: JSON.stringify(body),
  };
}

/** `{base}/v1beta/models/{model}`; a model given as `tunedModels/x` or `models/x` keeps its collection. */
export function modelUrl(provider: ProviderInstance, model: string): string {
  const path = model.includes('/') ? model : `models/${model}`;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${provider.baseUrl}/v1beta/${encoded}`;
}

/** The key goes only in `x-goog-api-key`, never in the URL. */
export function geminiHeaders(provider: ProviderInstance): Record<string, string> {
  const headers: Record<string, string> = { ...provider.headers, 'content-type': 'application/json' };
  if (provider.apiKey) headers['x-goog-api-key'] = provider.apiKey;
  return headers;
}
