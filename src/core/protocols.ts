/** Wire protocols Switchyard speaks, in (ingress) or out (provider). */
export type WireProtocol =
  | 'openai-chat'
  /** legacy `POST /v1/completions` (prompt in, text out); ingress only, always translated */
  | 'openai-completions'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini'
  | 'bedrock-converse'
  | 'cohere-v2';

/** Operations a provider may or may not support; an unsupported one is a 422, never a silent reroute. */
export type Operation =
  | 'chat'
  | 'embeddings'
  | 'images'
  | 'audio'
  | 'moderations'
  | 'rerank'
  | 'count-tokens';
