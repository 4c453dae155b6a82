// Anthropic Messages ingress: clients using the Anthropic SDK talk to `POST /v1/messages`
// (and `POST /v1/messages/count_tokens`).
import type { IngressCodec } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { encodeError } from './encode-error.ts';
import { encodeResponse } from './encode-response.ts';
import { encodeStream } from './encode-stream.ts';
import { passthrough } from './passthrough.ts';
import type { AnthropicMessagesCountTokensResponse } from './wire-types.ts';

const codec: IngressCodec = {
  protocol: 'anthropic-messages',
  decodeRequest: (body) => decodeAnthropicRequest(body, { requireMaxTokens: true }),
  encodeResponse,
  encodeStream,
  encodeError,
  passthrough,
};

export default codec;

/** `POST /v1/messages/count_tokens`: the Messages body without max_tokens (and never streamed). */
export function decodeCountTokensRequest(body: unknown): CanonicalRequest {
  return { ...decodeAnthropicRequest(body, { requireMaxTokens: false }), stream: false };
}

export function encodeCountTokensResponse(inputTokens: number): AnthropicMessagesCountTokensResponse {
  return { input_tokens: inputTokens };
}
