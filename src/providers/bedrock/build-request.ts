import type { BuildContext, UpstreamRequest, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { converseUrl } from './converse-url.ts';
import { convertPrompt } from './convert-messages.ts';
import { buildToolConfig } from './convert-tools.ts';
import { bedrockOptions } from './instances.ts';
import { additionalModelFields } from './model-fields.ts';
import { authHeaders } from './sign-request.ts';
import type { BedrockConverseRequest, BedrockInferenceConfig } from './wire-types.ts';

/** The Converse / ConverseStream body for a canonical request (model id goes in the URL, not the body). */
export async function buildConverseBody(
  request: CanonicalRequest,
  modelId: string,
  context: Pick<BuildContext, 'warnings' | 'fetchImage'>,
): Promise<BedrockConverseRequest> {
  const warnings = context.warnings;
  const prompt = await convertPrompt(request.messages, { ...context, documentNames: new Set() });
  const body: BedrockConverseRequest = { ...prompt };
  const inference = inferenceConfig(request);
  const additional = additionalModelFields(request, modelId, inference, warnings);
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const toolConfig = buildToolConfig(request, prompt.messages, warnings);
  if (toolConfig) body.toolConfig = toolConfig;
  if (additional) body.additionalModelRequestFields = additional;
  if (request.metadata && Object.keys(request.metadata).length > 0)
    body.requestMetadata = { ...request.metadata };
  warnUnsupported(request, warnings);
  return body;
}

function inferenceConfig(request: CanonicalRequest): BedrockInferenceConfig {
  const config: BedrockInferenceConfig = {};
  if (request.maxOutputTokens !== undefined) config.maxTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = [...request.stop];
  return config;
}

function warnUnsupported(request: CanonicalRequest, warnings: Warnings): void {
  if (request.seed !== undefined) warnings.add('seed: not supported by Bedrock Converse; ignored');
  if (request.frequencyPenalty !== undefined)
    warnings.add('frequencyPenalty: not supported by Bedrock Converse; ignored');
  if (request.presencePenalty !== undefined)
    warnings.add('presencePenalty: not supported by Bedrock Converse; ignored');
  if (request.n !== undefined && request.n > 1)
    warnings.add('n: Bedrock Converse returns one choice; ignored');
  if (request.user !== undefined) warnings.add('user: not supported by Bedrock Converse; ignored');
  for (const field of Object.keys(request.extra))
    warnings.add(`${field}: no equivalent on Bedrock Converse; ignored`);
}

/** POST /model/{modelId}/converse(-stream), signed with SigV4 (or a Bedrock API key). */
export async function buildRequest(
  request: CanonicalRequest,
  context: BuildContext,
): Promise<UpstreamRequest> {
  const { provider, deployment } = context.target;
  const body = JSON.stringify(await buildConverseBody(request, deployment.model, context));
  const url = converseUrl(provider.baseUrl, deployment.model, request.stream);
  const signedHeaders = { 'content-type': 'application/json' };
  const auth = await authHeaders(
    bedrockOptions(provider),
    { url, body, headers: signedHeaders },
    provider.id,
  );
  return {
    method: 'POST',
    url,
    headers: {
      ...provider.headers,
      ...signedHeaders,
      accept: request.stream ? 'application/vnd.amazon.eventstream' : 'application/json',
      ...auth,
    },
    body,
  };
}
