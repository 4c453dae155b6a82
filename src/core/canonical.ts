// The canonical form every ingress decodes into and every provider encodes from.
// It is our own shape, not any provider's wire format (see DESIGN.md).

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export type TextPart = { type: 'text'; text: string };
export type ImagePart = { type: 'image'; source: ImageSource; detail?: 'auto' | 'low' | 'high' };
export type FilePart = {
  type: 'file';
  filename?: string;
  mediaType?: string;
  /** base64 bytes, or a provider file id */
  data?: string;
  fileId?: string;
};
/** Model reasoning. `signature` / `redactedData` are opaque provider tokens that must survive a round trip. */
export type ReasoningPart = {
  type: 'reasoning';
  text: string;
  signature?: string;
  redactedData?: string;
  /** wire protocol that issued the signature; only sent back to that protocol */
  signatureProtocol?: string;
};
export type ToolCallPart = {
  type: 'tool-call';
  id: string;
  name: string;
  /** raw argument text as the model produced it (JSON) */
  arguments: string;
  /** Gemini thought signature attached to a function call */
  signature?: string;
};
export type ToolResultPart = {
  type: 'tool-result';
  toolCallId: string;
  toolName?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
};

export type UserPart = TextPart | ImagePart | FilePart;
export type Part = TextPart | ImagePart | FilePart | ReasoningPart | ToolCallPart | ToolResultPart;

export interface Message {
  role: Role;
  content: Part[];
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments */
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | {
      type: 'json-schema';
      name: string;
      description?: string;
      schema: Record<string, unknown>;
      strict?: boolean;
    };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high';

export interface ReasoningSettings {
  effort?: ReasoningEffort;
  /** explicit token budget (Anthropic budget_tokens, Gemini thinkingBudget) */
  budgetTokens?: number;
  /** whether reasoning text should be returned */
  includeThoughts?: boolean;
}

export interface CanonicalRequest {
  /** model string the client asked for (before routing) */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  reasoning?: ReasoningSettings;
  n?: number;
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
  /**
   * Fields of the client's protocol with no canonical home. Providers of the same protocol
   * may forward them; others report them as warnings instead of dropping them silently.
   */
  extra: Record<string, unknown>;
}

/** Token usage, normalised: input includes cache read and cache write; output includes reasoning. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** true when counted locally because the provider reported none */
  estimated?: boolean;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface CanonicalResponse {
  id: string;
  /** model id the provider says answered */
  model: string;
  content: Array<TextPart | ReasoningPart | ToolCallPart>;
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage: Usage;
  created?: number;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const out: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  const cacheRead = sum(a.cacheReadTokens, b.cacheReadTokens);
  const cacheWrite = sum(a.cacheWriteTokens, b.cacheWriteTokens);
  const reasoning = sum(a.reasoningTokens, b.reasoningTokens);
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  if (a.estimated || b.estimated) out.estimated = true;
  return out;
}
