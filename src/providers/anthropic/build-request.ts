// Upstream HTTP requests for Anthropic: translated (canonical → body) and passthrough (client body as is).
import type {
  BuildContext,
  HeaderMap,
  PassthroughContext,
  ProviderInstance,
  UpstreamRequest,
} from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { buildAnthropicMessagesBody } from './build-body.ts';
import type { AnthropicMessagesRequest } from './wire-types.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

function firstHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Comma-separated beta lists from several sources, deduplicated, in order. */
function mergeBetas(...lists: Array<string | undefined>): string | undefined {
  const betas = lists.flatMap((list) => (list ?? '').split(',').map((beta) => beta.trim()));
  const unique = [...new Set(betas.filter((beta) => beta !== ''))];
  return unique.length > 0 ? unique.join(',') : undefined;
}

function anthropicHeaders(
  instance: ProviderInstance,
  version: string,
  beta?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': version,
    ...instance.headers,
  };
  const betas = mergeBetas(instance.headers?.['anthropic-beta'], beta);
  if (betas !== undefined) headers['anthropic-beta'] = betas;
  // The instance's own key, never the client's.
  if (instance.apiKey) headers['x-api-key'] = instance.apiKey;
  return headers;
}

export function buildAnthropicRequest(request: CanonicalRequest, context: BuildContext): UpstreamRequest {
  const { provider, deployment } = context.target;
  const body: AnthropicMessagesRequest = {
    model: deployment.model,
    ...buildAnthropicMessagesBody(request, context),
  };
  if (request.stream) body.stream = true;
  return {
    method: 'POST',
    url: `${provider.baseUrl}/v1/messages`,
    headers: anthropicHeaders(provider, ANTHROPIC_VERSION),
    body: JSON.stringify(body),
  };
}

/** The client spoke Anthropic Messages too: only the model and the credentials change. */
export function buildAnthropicPassthroughRequest(
  body: Record<string, unknown>,
  context: PassthroughContext,
): UpstreamRequest {
  const { provider, deployment } = context.target;
  body.model = deployment.model;
  const version = firstHeader(context.clientHeaders, 'anthropic-version') ?? ANTHROPIC_VERSION;
  const beta = firstHeader(context.clientHeaders, 'anthropic-beta');
  const path = context.path === '/messages/count_tokens' ? '/v1/messages/count_tokens' : '/v1/messages';
  return {
    method: 'POST',
    url: `${provider.baseUrl}${path}`,
    headers: anthropicHeaders(provider, version, beta),
    body: context.encodeBody(body),
  };
}
