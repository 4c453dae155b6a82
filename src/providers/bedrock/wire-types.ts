// Bedrock Converse wire types (the subset Switchyard writes and reads).
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type BedrockDocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export interface BedrockImageBlock {
  format: BedrockImageFormat;
  source: { bytes: string };
}

export interface BedrockDocumentBlock {
  format: BedrockDocumentFormat;
  name: string;
  source: { bytes: string };
}

export type BedrockToolResultContent = { text: string } | { json: unknown } | { image: BedrockImageBlock };

export interface BedrockReasoningContent {
  reasoningText?: { text: string; signature?: string };
  /** base64 of the opaque redacted bytes */
  redactedContent?: string;
}

export type BedrockContentBlock =
  | { text: string }
  | { image: BedrockImageBlock }
  | { document: BedrockDocumentBlock }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: BedrockToolResultContent[];
        status?: 'success' | 'error';
      };
    }
  | { reasoningContent: BedrockReasoningContent };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } };
}

export type BedrockToolChoice =
  | { auto: Record<string, never> }
  | { any: Record<string, never> }
  | { tool: { name: string } };

export interface BedrockToolConfig {
  tools: BedrockToolSpec[];
  toolChoice?: BedrockToolChoice;
}

export interface BedrockInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface BedrockConverseRequest {
  system?: Array<{ text: string }>;
  messages: BedrockMessage[];
  inferenceConfig?: BedrockInferenceConfig;
  toolConfig?: BedrockToolConfig;
  additionalModelRequestFields?: Record<string, unknown>;
  requestMetadata?: Record<string, string>;
}

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** A content block as it comes back in a Converse reply. */
export interface BedrockResponseBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input?: unknown };
  reasoningContent?: BedrockReasoningContent;
}

export interface BedrockConverseResponse {
  output?: { message?: { role?: string; content?: BedrockResponseBlock[] } };
  stopReason?: string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
}

/** Credentials and region carried in ProviderInstance.options. */
export interface BedrockOptions {
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  bearerToken?: string;
}

/** ConverseStream event payloads, keyed by `:event-type`. Each also carries a random padding field `p`. */
export interface BedrockContentBlockStartEvent {
  contentBlockIndex: number;
  start?: { toolUse?: { toolUseId: string; name: string } };
}

export interface BedrockContentBlockDeltaEvent {
  contentBlockIndex: number;
  delta?: {
    text?: string;
    toolUse?: { input?: string };
    reasoningContent?: { text?: string; signature?: string; redactedContent?: string };
  };
}

export interface BedrockContentBlockStopEvent {
  contentBlockIndex: number;
}

export interface BedrockMessageStopEvent {
  stopReason?: string;
  additionalModelResponseFields?: unknown;
}

export interface BedrockMetadataEvent {
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
}
