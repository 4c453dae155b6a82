// Anthropic Messages wire shapes, as far as this ingress reads or writes them.
// Only what the codec touches is typed; everything else passes through as unknown.

export type AnthropicMessagesStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export interface AnthropicMessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export type AnthropicMessagesResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicMessagesResponseBlock[];
  stop_reason: AnthropicMessagesStopReason | null;
  stop_sequence: string | null;
  usage: Required<AnthropicMessagesUsage>;
}

export interface AnthropicMessagesErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export interface AnthropicMessagesCountTokensResponse {
  input_tokens: number;
}
