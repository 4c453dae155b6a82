// Gemini (generativelanguage v1beta) wire shapes this codec reads and writes.
// Only the fields Switchyard produces are typed; requests are read defensively from `unknown`.

export interface GeminiFunctionCall {
  name: string;
  args: unknown;
  id?: string;
}

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
}

export interface GeminiContent {
  parts: GeminiPart[];
  role: 'model';
}

export interface GeminiCandidate {
  content: GeminiContent;
  finishReason?: string;
  index: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

export interface GeminiGenerateContentResponse {
  candidates: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion: string;
  responseId: string;
}

export interface GeminiErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: Array<Record<string, unknown>>;
  };
}

export interface GeminiCountTokensResponse {
  totalTokens: number;
}
