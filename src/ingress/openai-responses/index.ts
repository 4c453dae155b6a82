import type { IngressCodec } from '../../core/adapters.ts';
import { decodeRequest } from './decode-request.ts';
import { encodeError } from './encode-error.ts';
import { encodeResponse } from './encode-response.ts';
import { encodeStream } from './encode-stream.ts';

export { inputToMessages, prependHistory, responseToMessages } from './history.ts';
export { decodeInputTokensRequest, encodeInputTokensResponse } from './input-tokens.ts';
export { referencedResponseIds, resolveItemReferences } from './item-references.ts';
export { decodeRequest, encodeError, encodeResponse, encodeStream };

/** Clients of the OpenAI Responses API (`POST /v1/responses`). */
const openAIResponses: IngressCodec = {
  protocol: 'openai-responses',
  decodeRequest,
  encodeResponse,
  encodeStream,
  encodeError,
};

export default openAIResponses;
