// Vertex AI: Gemini models (Gemini protocol) and Claude models (Anthropic Messages via rawPredict),
// authenticated with a service account's OAuth token.
import type { ProviderAdapter, ProviderModule } from '../../core/adapters.ts';
import { createBuildRequest, createPassthroughRequest } from './build-request.ts';
import { ADAPTER_TYPE, instanceFromConfig, instancesFromEnv } from './instances.ts';
import { parseError, parseResponse, parseStream } from './parse-reply.ts';
import { TokenSources, type TokenSourcesOptions } from './token-sources.ts';

/** Tests pass a clock (and may pass a token poster); the module uses the real ones. */
export function createVertexAdapter(options: TokenSourcesOptions = {}): ProviderAdapter {
  const tokens = new TokenSources(options);
  return {
    type: ADAPTER_TYPE,
    wireProtocol: 'gemini',
    operations: new Set(['chat', 'count-tokens']),
    buildRequest: createBuildRequest(tokens),
    parseResponse,
    parseStream,
    parseError,
    buildPassthroughRequest: createPassthroughRequest(tokens),
  };
}

const vertex: ProviderModule = {
  adapter: createVertexAdapter(),
  types: [ADAPTER_TYPE],
  fromEnv: instancesFromEnv,
  fromConfig: instanceFromConfig,
};

export default vertex;
export { VERTEX_ANTHROPIC_VERSION } from './build-request.ts';
