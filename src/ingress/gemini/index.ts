import type { IngressCodec } from '../../core/adapters.ts';
import { decodeGenerateContentRequest } from './decode-request.ts';
import { encodeGeminiError } from './encode-error.ts';
import { encodeGenerateContentResponse } from './encode-response.ts';
import { encodeSseStream } from './frame-stream.ts';
import { geminiPassthrough } from './passthrough.ts';
import type { GeminiCountTokensResponse } from './wire-types.ts';

export { decodeCountTokensRequest } from './decode-request.ts';
export { encodeJsonArrayStream, geminiSseFrame } from './frame-stream.ts';
export { type GeminiPath, parseGeminiPath } from './parse-path.ts';
export { fromUsageMetadata, toUsageMetadata } from './usage-metadata.ts';

/** `:countTokens` reply. */
export function encodeCountTokensResponse(totalTokens: number): GeminiCountTokensResponse {
  return { totalTokens };
}

/**
 * Google Gemini ingress: `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent`
 * (`alt=sse` → encodeStream; without it → encodeJsonArrayStream) and `:countTokens`.
 * The model comes from `info.path`, not from the body.
 */
const geminiIngress: IngressCodec = {
  protocol: 'gemini',
  decodeRequest: decodeGenerateContentRequest,
  encodeResponse: encodeGenerateContentResponse,
  encodeStream: encodeSseStream,
  encodeError: encodeGeminiError,
  passthrough: geminiPassthrough,
};

export default geminiIngress;
