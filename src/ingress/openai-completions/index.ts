import type { IngressCodec } from '../../core/adapters.ts';
import { encodeError } from '../openai-chat/encode-error.ts';
import { decodeRequest } from './decode-request.ts';
import { encodeResponse } from './encode-response.ts';
import { encodeStream } from './encode-stream.ts';

/**
 * Legacy OpenAI Completions (`POST /v1/completions`): prompt in, text out, served by chat providers.
 * Its own protocol and no passthrough, so the client's body is never forwarded to a chat endpoint as is.
 */
const openAICompletions: IngressCodec = {
  protocol: 'openai-completions',
  decodeRequest,
  encodeResponse,
  encodeStream,
  encodeError,
};

export default openAICompletions;
export { LEGACY_DEFAULT_MAX_TOKENS } from './decode-request.ts';
export { decodeRequest, encodeError, encodeResponse, encodeStream };
