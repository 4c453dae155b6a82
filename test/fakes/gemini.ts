// Builders for Gemini (and Vertex AI) replies in the real wire format, for tests that queue them on
// `startFakeServer`. Streams are `data: <GenerateContentResponse>` frames separated by CRLF CRLF, with no
// event names and no terminator, like the real API; usageMetadata is cumulative on every chunk and
// finishReason only on the last one.
import type { ScriptedReply } from './fake-server.ts';

export interface GeminiFakeUsage {
  prompt: number;
  /** visible output tokens (Gemini's candidatesTokenCount EXCLUDES thoughts) */
  candidates: number;
  thoughts?: number;
  cached?: number;
}

export type GeminiFakePart =
  | { text: string; signature?: string }
  | { thought: string; signature?: string }
  | { call: { name: string; args?: Record<string, unknown>; id?: string }; signature?: string };

export interface GeminiFakeMeta {
  model?: string;
  responseId?: string;
}

const DEFAULT_MODEL = 'gemini-2.5-flash';
const DEFAULT_RESPONSE_ID = 'fake-gemini-response-1';

export function geminiUsage(usage: GeminiFakeUsage): Record<string, unknown> {
  const thoughts = usage.thoughts ?? 0;
  const out: Record<string, unknown> = {
    promptTokenCount: usage.prompt,
    candidatesTokenCount: usage.candidates,
    totalTokenCount: usage.prompt + usage.candidates + thoughts,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.prompt }],
  };
  if (usage.cached !== undefined) {
    out.cachedContentTokenCount = usage.cached;
    out.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: usage.cached }];
  }
  if (usage.thoughts !== undefined) out.thoughtsTokenCount = usage.thoughts;
  return out;
}

export function geminiPart(part: GeminiFakePart): Record<string, unknown> {
  const out: Record<string, unknown> =
    'call' in part
      ? {
          functionCall: {
            ...(part.call.id ? { id: part.call.id } : {}),
            name: part.call.name,
            args: part.call.args ?? {},
          },
        }
      : 'thought' in part
        ? { text: part.thought, thought: true }
        : { text: part.text };
  if (part.signature) out.thoughtSignature = part.signature;
  return out;
}

/** One GenerateContentResponse (a whole reply, or one stream chunk). */
export function geminiResponse(
  options: { parts: GeminiFakePart[]; finishReason?: string; usage?: GeminiFakeUsage } & GeminiFakeMeta,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    content: { parts: options.parts.map(geminiPart), role: 'model' },
    index: 0,
  };
  if (options.finishReason) candidate.finishReason = options.finishReason;
  const out: Record<string, unknown> = { candidates: [candidate] };
  if (options.usage) out.usageMetadata = geminiUsage(options.usage);
  out.modelVersion = options.model ?? DEFAULT_MODEL;
  out.responseId = options.responseId ?? DEFAULT_RESPONSE_ID;
  return out;
}

export function geminiJsonReply(
  options: { parts: GeminiFakePart[]; finishReason?: string; usage?: GeminiFakeUsage } & GeminiFakeMeta,
): ScriptedReply {
  return { status: 200, body: geminiResponse({ finishReason: 'STOP', ...options }) };
}

/** SSE frames as Gemini writes them: `data: {...}\r\n\r\n`. */
export function geminiSseFrames(chunks: unknown[]): string[] {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
}

export interface GeminiFakeStreamChunk {
  parts: GeminiFakePart[];
  usage?: GeminiFakeUsage;
  finishReason?: string;
}

/** A stream of chunks; the last one gets `finishReason` (STOP unless given) and the final usage. */
export function geminiStream(
  chunks: GeminiFakeStreamChunk[],
  options: GeminiFakeMeta & { finishReason?: string | null; usage?: GeminiFakeUsage; delayMs?: number } = {},
): ScriptedReply {
  const bodies = chunks.map((chunk, i) => {
    const last = i === chunks.length - 1;
    const finishReason =
      chunk.finishReason ??
      (last && options.finishReason !== null ? (options.finishReason ?? 'STOP') : undefined);
    const usage = chunk.usage ?? options.usage;
    return geminiResponse({
      parts: chunk.parts,
      finishReason,
      usage,
      model: options.model,
      responseId: options.responseId,
    });
  });
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    chunks: geminiSseFrames(bodies),
    delayMs: options.delayMs,
  };
}

/** Text deltas, then the closing chunk Gemini 3 sends: an empty text part carrying a thoughtSignature. */
export function geminiTextStream(
  texts: string[],
  options: GeminiFakeMeta & { usage?: GeminiFakeUsage; signature?: string; delayMs?: number } = {},
): ScriptedReply {
  const chunks: GeminiFakeStreamChunk[] = texts.map((text) => ({ parts: [{ text }] }));
  chunks.push({ parts: [{ text: '', signature: options.signature ?? 'ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ==' }] });
  return geminiStream(chunks, {
    ...options,
    usage: options.usage ?? { prompt: 5, candidates: texts.length },
  });
}

/** Thought summaries (includeThoughts) followed by the answer text. */
export function geminiThinkingStream(
  thoughts: string[],
  texts: string[],
  options: GeminiFakeMeta & { usage?: GeminiFakeUsage } = {},
): ScriptedReply {
  const chunks: GeminiFakeStreamChunk[] = [
    ...thoughts.map((thought) => ({ parts: [{ thought }] })),
    ...texts.map((text) => ({ parts: [{ text }] })),
  ];
  return geminiStream(chunks, {
    ...options,
    usage: options.usage ?? { prompt: 5, candidates: texts.length, thoughts: 20 },
  });
}

/** Whole function calls in one chunk (the first signed), then an empty closing chunk with STOP. */
export function geminiToolCallStream(
  calls: Array<{ name: string; args?: Record<string, unknown> }>,
  options: GeminiFakeMeta & { usage?: GeminiFakeUsage; signature?: string } = {},
): ScriptedReply {
  const parts: GeminiFakePart[] = calls.map((call, i) => ({
    call,
    ...(i === 0 ? { signature: options.signature ?? 'ZmFrZS1jYWxsLXNpZ25hdHVyZQ==' } : {}),
  }));
  return geminiStream([{ parts }, { parts: [{ text: '' }] }], {
    ...options,
    usage: options.usage ?? { prompt: 20, candidates: 10 },
  });
}

/** A Google RPC error body, as the Gemini API and Vertex AI send it. */
export function geminiErrorBody(
  code: number,
  message: string,
  status: string,
  options: { retryDelaySeconds?: number; reason?: string } = {},
): Record<string, unknown> {
  const details: Array<Record<string, unknown>> = [];
  if (options.reason) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: options.reason,
      domain: 'googleapis.com',
    });
  }
  if (options.retryDelaySeconds !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: `${options.retryDelaySeconds}s`,
    });
  }
  const error: Record<string, unknown> = { code, message, status };
  if (details.length > 0) error.details = details;
  return { error };
}

export function geminiErrorReply(
  code: number,
  message: string,
  status: string,
  options: { retryDelaySeconds?: number; reason?: string } = {},
): ScriptedReply {
  return { status: code, body: geminiErrorBody(code, message, status, options) };
}

export const geminiRateLimited = (retryDelaySeconds = 30): ScriptedReply =>
  geminiErrorReply(429, 'Resource has been exhausted (e.g. check quota).', 'RESOURCE_EXHAUSTED', {
    retryDelaySeconds,
  });

export const geminiOverloaded = (): ScriptedReply =>
  geminiErrorReply(503, 'The model is overloaded. Please try again later.', 'UNAVAILABLE');

/** A Google OAuth token endpoint reply (service-account JWT bearer grant). */
export function googleTokenReply(accessToken: string, expiresIn = 3599): ScriptedReply {
  return { status: 200, body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' } };
}
