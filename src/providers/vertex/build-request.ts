// Canonical request → Vertex AI: Gemini models take the Gemini body at generateContent, Claude models
// take the Anthropic Messages body at rawPredict (with Vertex's anthropic_version, model in the URL).
import type { BuildContext, PassthroughContext, UpstreamRequest } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { buildAnthropicMessagesBody } from '../anthropic/index.ts';
import { buildGeminiBody, streamQuery } from '../gemini/index.ts';
import type { TokenSources } from './token-sources.ts';
import { isClaudeModel, vertexModelUrl } from './urls.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

const PASSTHROUGH_METHODS = new Set([':generateContent', ':streamGenerateContent', ':countTokens']);

export function createBuildRequest(tokens: TokenSources) {
  return async function buildRequest(
    request: CanonicalRequest,
    context: BuildContext,
  ): Promise<UpstreamRequest> {
    const { provider, deployment } = context.target;
    const base = vertexModelUrl(provider, deployment.model);
    const claude = isClaudeModel(deployment.model);
    const body = claude
      ? claudeBody(request, context)
      : await buildGeminiBody(request, context, { vertex: true });
    const method = claude
      ? request.stream
        ? ':streamRawPredict'
        : ':rawPredict'
      : request.stream
        ? ':streamGenerateContent?alt=sse'
        : ':generateContent';
    return {
      method: 'POST',
      url: `${base}${method}`,
      headers: await vertexHeaders(tokens, context.target.provider),
      body: JSON.stringify(body),
    };
  };
}

function claudeBody(request: CanonicalRequest, context: BuildContext): Record<string, unknown> {
  const body: Record<string, unknown> = {
    anthropic_version: VERTEX_ANTHROPIC_VERSION,
    ...buildAnthropicMessagesBody(request, context),
  };
  if (request.stream) body.stream = true;
  return body;
}

/** A Gemini-speaking client: its body goes to the Gemini model as it is (Claude models cannot take it). */
export function createPassthroughRequest(tokens: TokenSources) {
  return async function buildPassthroughRequest(
    body: Record<string, unknown>,
    context: PassthroughContext,
  ): Promise<UpstreamRequest> {
    const { provider, deployment } = context.target;
    if (isClaudeModel(deployment.model)) {
      throw new GatewayError(
        'unsupported_operation',
        'Claude models on Vertex AI take Anthropic Messages requests, not the Gemini protocol',
      );
    }
    if (!PASSTHROUGH_METHODS.has(context.path)) {
      throw new GatewayError('not_found', `Vertex AI does not serve the Gemini method ${context.path}`);
    }
    return {
      method: 'POST',
      url: `${vertexModelUrl(provider, deployment.model)}${context.path}${streamQuery(context)}`,
      headers: await vertexHeaders(tokens, provider),
      body: context.encodeBody(body),
    };
  };
}

async function vertexHeaders(
  tokens: TokenSources,
  provider: BuildContext['target']['provider'],
): Promise<Record<string, string>> {
  const token = await tokens.tokenFor(provider);
  return { ...provider.headers, 'content-type': 'application/json', authorization: `Bearer ${token}` };
}
