import type { ProviderAdapter, ProviderModule } from '../../core/adapters.ts';
import { buildPassthroughRequest } from './build-passthrough-request.ts';
import { buildRequest } from './build-request.ts';
import { ADAPTER_TYPE, instanceFromConfig, instancesFromEnv } from './instances.ts';
import { parseError } from './map-error.ts';
import { parseResponse } from './parse-response.ts';
import { parseStream } from './parse-stream.ts';

export const geminiAdapter: ProviderAdapter = {
  type: ADAPTER_TYPE,
  wireProtocol: 'gemini',
  operations: new Set(['chat', 'count-tokens', 'embeddings']),
  buildRequest,
  parseResponse: (body, request) => parseResponse(body, request),
  parseStream: (body, request) => parseStream(body, request),
  parseError,
  buildPassthroughRequest,
};

const gemini: ProviderModule = {
  adapter: geminiAdapter,
  types: [ADAPTER_TYPE],
  fromEnv: instancesFromEnv,
  fromConfig: instanceFromConfig,
};

export default gemini;
export { streamQuery } from './build-passthrough-request.ts';
export { buildGeminiBody, geminiHeaders } from './build-request.ts';
export { errorFromGoogleBody, readGoogleError } from './map-error.ts';
export { mapUsage } from './map-usage.ts';
export { parseResponse as parseGeminiResponse } from './parse-response.ts';
export { parseStream as parseGeminiStream } from './parse-stream.ts';
