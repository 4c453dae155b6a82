// The Anthropic Messages provider module.
import type { ProviderAdapter, ProviderModule } from '../../core/adapters.ts';
import type { Operation } from '../../core/protocols.ts';
import { buildAnthropicPassthroughRequest, buildAnthropicRequest } from './build-request.ts';
import { parseAnthropicError } from './map-error.ts';
import { parseAnthropicResponse } from './parse-response.ts';
import { parseAnthropicStream } from './parse-stream.ts';
import { anthropicFromConfig, anthropicFromEnv } from './provider-instance.ts';

export { buildAnthropicMessagesBody } from './build-body.ts';
export {
  ANTHROPIC_VERSION,
  buildAnthropicPassthroughRequest,
  buildAnthropicRequest,
} from './build-request.ts';
export { ANTHROPIC_PROTOCOL } from './convert-content.ts';
export { THINKING_BUDGET_BY_EFFORT } from './convert-reasoning.ts';
export { anthropicStreamError, parseAnthropicError } from './map-error.ts';
export { mapAnthropicFinishReason } from './map-finish-reason.ts';
export { mapAnthropicUsage } from './map-usage.ts';
export { maxOutputTokensForModel } from './model-limits.ts';
export { parseAnthropicResponse } from './parse-response.ts';
export { AnthropicStreamParser, parseAnthropicStream } from './parse-stream.ts';
export type * from './wire-types.ts';

const operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'count-tokens']);

export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  wireProtocol: 'anthropic-messages',
  operations,
  buildRequest: buildAnthropicRequest,
  parseResponse: parseAnthropicResponse,
  parseStream: (body, request) => parseAnthropicStream(body, request),
  parseError: (status, body, headers, target) =>
    parseAnthropicError(status, body, headers, target.provider.id),
  buildPassthroughRequest: buildAnthropicPassthroughRequest,
};

const anthropicModule: ProviderModule = {
  adapter: anthropicAdapter,
  types: ['anthropic'],
  fromEnv: anthropicFromEnv,
  fromConfig: anthropicFromConfig,
};

export default anthropicModule;
