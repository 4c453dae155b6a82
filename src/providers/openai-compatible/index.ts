import type { ProviderAdapter, ProviderModule } from '../../core/adapters.ts';
import { buildPassthroughRequest } from './build-passthrough-request.ts';
import { buildRequest } from './build-request.ts';
import { ADAPTER_TYPE, instanceFromConfig, instancesFromEnv } from './instances.ts';
import { parseError } from './map-error.ts';
import { parseResponse } from './parse-response.ts';
import { parseStream } from './parse-stream.ts';
import { OPENAI_COMPATIBLE_PRESETS } from './presets.ts';

export const openAICompatibleAdapter: ProviderAdapter = {
  type: ADAPTER_TYPE,
  wireProtocol: 'openai-chat',
  operations: new Set(['chat', 'embeddings', 'images', 'audio', 'moderations']),
  buildRequest,
  parseResponse,
  parseStream,
  parseError,
  buildPassthroughRequest,
};

const openAICompatible: ProviderModule = {
  adapter: openAICompatibleAdapter,
  types: [ADAPTER_TYPE, ...OPENAI_COMPATIBLE_PRESETS.map((preset) => preset.id)],
  fromEnv: instancesFromEnv,
  fromConfig: instanceFromConfig,
};

export default openAICompatible;
export { mapUsage } from '../../wire/openai-chat-usage.ts';
export { buildChatBody } from './build-request.ts';
export { errorFromBody } from './map-error.ts';
