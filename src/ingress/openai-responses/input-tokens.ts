// `POST /v1/responses/input_tokens`: the request decodes like a response request (input optional);
// the reply is a small object.
export { decodeInputTokensRequest } from './decode-request.ts';

export interface ResponsesInputTokens {
  object: 'response.input_tokens';
  input_tokens: number;
}

export function encodeInputTokensResponse(inputTokens: number): ResponsesInputTokens {
  return { object: 'response.input_tokens', input_tokens: inputTokens };
}
