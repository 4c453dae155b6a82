import type { ProviderAdapter, ProviderModule } from '../../core/adapters.ts';
import { buildRequest } from './build-request.ts';
import { ADAPTER_TYPE, instanceFromConfig, instancesFromEnv } from './instances.ts';
import { parseError } from './map-error.ts';
import { parseResponse } from './parse-response.ts';
import { parseStream } from './parse-stream.ts';

// AWS Bedrock Converse / ConverseStream. Credentials live in ProviderInstance.options
// (accessKeyId, secretAccessKey, sessionToken, bearerToken, region) and are never logged.
// Model-native settings for Claude (top_k, thinking) go in additionalModelRequestFields: see model-fields.ts.

export const bedrockAdapter: ProviderAdapter = {
  type: ADAPTER_TYPE,
  wireProtocol: 'bedrock-converse',
  operations: new Set(['chat']),
  buildRequest,
  parseResponse,
  parseStream,
  parseError,
};

const bedrock: ProviderModule = {
  adapter: bedrockAdapter,
  types: [ADAPTER_TYPE],
  fromEnv: instancesFromEnv,
  fromConfig: instanceFromConfig,
};

export default bedrock;
export { buildConverseBody } from './build-request.ts';
