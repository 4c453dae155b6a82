import type {
  BuildContext,
  PassthroughContext,
  ProviderAdapter,
  ProviderConfigEntry,
  ProviderInstance,
  ProviderModule,
  UpstreamRequest,
} from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { buildChatBody } from '../openai-compatible/build-request.ts';
import { openAICompatibleAdapter } from '../openai-compatible/index.ts';
import { azureHeaders, azureUrl } from './build-url.ts';

/** Azure OpenAI: OpenAI's bodies and replies, with Azure's URL, `api-key` header and `api-version`. */
const adapter: ProviderAdapter = {
  type: 'azure',
  wireProtocol: 'openai-chat',
  operations: new Set(['chat', 'embeddings', 'images', 'audio']),
  buildRequest(request: CanonicalRequest, context: BuildContext): UpstreamRequest {
    return {
      method: 'POST',
      url: azureUrl(context.target, '/chat/completions'),
      headers: azureHeaders(context.target, request.stream),
      body: JSON.stringify(buildChatBody(request, context)),
    };
  },
  parseResponse: openAICompatibleAdapter.parseResponse,
  parseStream: openAICompatibleAdapter.parseStream,
  parseError: openAICompatibleAdapter.parseError,
  buildPassthroughRequest(body: Record<string, unknown>, context: PassthroughContext): UpstreamRequest {
    body.model = context.target.deployment.model;
    return {
      method: 'POST',
      url: azureUrl(context.target, context.path),
      headers: azureHeaders(context.target, context.stream),
      body: context.encodeBody(body),
    };
  },
};

function instance(
  id: string,
  baseUrl: string,
  apiKey: string | undefined,
  options: Record<string, unknown>,
  source: ProviderInstance['source'],
): ProviderInstance {
  // The OpenAI-compatible helpers read presets from options; Azure behaves like OpenAI itself.
  return {
    id,
    type: 'azure',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    options: { preset: 'openai', ...options },
    source,
  };
}

const azure: ProviderModule = {
  adapter,
  types: ['azure'],
  fromEnv(env) {
    const key = env.AZURE_OPENAI_API_KEY;
    const endpoint = env.AZURE_OPENAI_ENDPOINT ?? env.AZURE_OPENAI_BASE_URL;
    if (!key || !endpoint) return [];
    const options: Record<string, unknown> = {};
    if (env.AZURE_OPENAI_API_VERSION) options.api_version = env.AZURE_OPENAI_API_VERSION;
    return [instance('azure', endpoint, key, options, 'env')];
  },
  fromConfig(id: string, entry: ProviderConfigEntry, env) {
    const endpoint = entry.base_url ?? env.AZURE_OPENAI_ENDPOINT;
    if (!endpoint) throw new Error(`provider "${id}": base_url (the Azure resource endpoint) is required`);
    const result = instance(
      id,
      endpoint,
      entry.api_key ?? env.AZURE_OPENAI_API_KEY,
      { ...entry.options },
      'config',
    );
    if (entry.headers) result.headers = entry.headers;
    return result;
  },
};

export default azure;
