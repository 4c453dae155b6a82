// Cohere v2 Chat wire shapes (POST /v2/chat), only the parts Switchyard reads or writes.

export type CohereV2UserContent =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface CohereV2ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface CohereV2Document {
  type: 'document';
  document: { data: string };
}

export type CohereV2Message =
  | { role: 'system'; content: string }
  | { role: 'user'; content: CohereV2UserContent[] }
  | { role: 'assistant'; content: Array<{ type: 'text'; text: string }> }
  | { role: 'assistant'; tool_plan?: string; tool_calls: CohereV2ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: CohereV2Document[] };

export interface CohereV2Tool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface CohereV2ChatRequest {
  model: string;
  messages: CohereV2Message[];
  tools?: CohereV2Tool[];
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: { type: 'json_object'; json_schema?: Record<string, unknown> };
  max_tokens?: number;
  temperature?: number;
  p?: number;
  k?: number;
  seed?: number;
  stop_sequences?: string[];
  frequency_penalty?: number;
  presence_penalty?: number;
  thinking?: { type: 'enabled'; token_budget?: number } | { type: 'disabled' };
  stream: boolean;
}

export interface CohereV2Usage {
  billed_units?: { input_tokens?: number; output_tokens?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export type CohereV2ResponseContent =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: string; text?: string; thinking?: string };

export interface CohereV2ChatResponse {
  id?: string;
  message?: {
    role?: string;
    content?: CohereV2ResponseContent[];
    tool_plan?: string;
    tool_calls?: Array<{
      id?: string;
      type?: string;
      function?: { name?: string; arguments?: string | null };
    }>;
  };
  finish_reason?: string;
  usage?: CohereV2Usage;
}

/** One typed stream event's payload (`data:`); `type` repeats the SSE event name. */
export interface CohereV2StreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string;
    usage?: CohereV2Usage;
    error?: string;
  };
}
