// What a request needs from a deployment (tools, images, JSON schema output, room in the context
// window) and whether a deployment offers it. A deployment known not to serve the request is filtered
// out before ranking; what is unknown is assumed possible (the provider then decides).
//
// Needs are read cheaply: from the canonical request when it is decoded anyway, otherwise straight from
// the client's body (one walk over the messages, no copies). The prompt size is a rough estimate
// (4 characters per token, a flat figure per image): it errs low, so only prompts that clearly do not
// fit are filtered.
import type { CanonicalRequest, Part } from '../core/canonical.ts';

export interface Capabilities {
  tools?: boolean;
  images?: boolean;
  jsonSchema?: boolean;
}

export interface Requirements {
  tools: boolean;
  images: boolean;
  jsonSchema: boolean;
  /** estimated prompt tokens */
  promptTokens: number;
  maxOutputTokens?: number;
}

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_IMAGE = 256;

/** Why a deployment cannot serve the request, or undefined when nothing known stands in the way. */
export function unmetRequirement(
  needs: Requirements,
  capabilities: Capabilities | undefined,
  contextWindow: number | undefined,
): string | undefined {
  if (needs.tools && capabilities?.tools === false) return 'does not support tools';
  if (needs.images && capabilities?.images === false) return 'does not accept images';
  if (needs.jsonSchema && capabilities?.jsonSchema === false) return 'does not support JSON schema output';
  if (contextWindow !== undefined) {
    const needed = needs.promptTokens + (needs.maxOutputTokens ?? 0);
    if (needed > contextWindow) {
      const output = needs.maxOutputTokens ? ` + ${needs.maxOutputTokens} output tokens` : '';
      return `context window of ${contextWindow} tokens is too small for ~${needs.promptTokens} prompt tokens${output}`;
    }
  }
  return undefined;
}

export function requirementsFromCanonical(request: CanonicalRequest): Requirements {
  const tally = { chars: 0, images: 0 };
  for (const message of request.messages) for (const part of message.content) countPart(part, tally);
  return {
    tools: (request.tools?.length ?? 0) > 0,
    images: tally.images > 0,
    jsonSchema: request.responseFormat?.type === 'json-schema',
    promptTokens: estimateTokens(tally),
    maxOutputTokens: request.maxOutputTokens,
  };
}

function countPart(part: Part, tally: { chars: number; images: number }): void {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      tally.chars += part.text.length;
      return;
    case 'image':
      tally.images++;
      return;
    case 'tool-call':
      tally.chars += part.arguments.length + part.name.length;
      return;
    case 'tool-result':
      for (const inner of part.content) countPart(inner, tally);
      return;
    case 'file':
      return;
  }
}

type Json = Record<string, unknown>;

/** Fields of any protocol's body that hold the conversation (OpenAI, Anthropic, Gemini, Responses). */
const CONVERSATION_FIELDS = ['messages', 'system', 'contents', 'systemInstruction', 'input', 'instructions'];
/** Keys never worth counting: ids, roles, opaque tokens and inline bytes. */
const SKIPPED_KEYS = new Set([
  'type',
  'role',
  'id',
  'tool_call_id',
  'tool_use_id',
  'call_id',
  'cache_control',
  'signature',
  'thoughtSignature',
  'encrypted_content',
  'data',
  'source',
  'file',
  'file_data',
  'input_audio',
  'mimeType',
]);
const IMAGE_TYPES = new Set(['image_url', 'image', 'input_image']);

/** Needs read from a client body of any supported protocol, without decoding it. */
export function requirementsFromBody(body: Json): Requirements {
  const tally = { chars: 0, images: 0 };
  for (const field of CONVERSATION_FIELDS) walk(body[field], tally, 0);
  return {
    tools: Array.isArray(body.tools) && body.tools.length > 0,
    images: tally.images > 0,
    jsonSchema: asksForJsonSchema(body),
    promptTokens: estimateTokens(tally),
    maxOutputTokens: maxOutputOf(body),
  };
}

function walk(value: unknown, tally: { chars: number; images: number }, depth: number): void {
  if (typeof value === 'string') {
    tally.chars += value.length;
    return;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, tally, depth + 1);
    return;
  }
  const object = value as Json;
  if (typeof object.type === 'string' && IMAGE_TYPES.has(object.type)) {
    tally.images++;
    return;
  }
  const media = (object.inlineData ?? object.fileData) as { mimeType?: unknown } | undefined;
  if (media) {
    if (typeof media.mimeType === 'string' && media.mimeType.startsWith('image/')) tally.images++;
    return;
  }
  for (const key in object) if (!SKIPPED_KEYS.has(key)) walk(object[key], tally, depth + 1);
}

function asksForJsonSchema(body: Json): boolean {
  const format = body.response_format as Json | undefined;
  if (format?.type === 'json_schema') return true;
  const text = body.text as { format?: Json } | undefined;
  if (text?.format?.type === 'json_schema') return true;
  const outputFormat = body.output_format as Json | undefined;
  if (outputFormat?.type === 'json_schema') return true;
  const config = body.generationConfig as Json | undefined;
  return config?.responseSchema !== undefined || config?.responseJsonSchema !== undefined;
}

function maxOutputOf(body: Json): number | undefined {
  const config = body.generationConfig as Json | undefined;
  const value =
    body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens ?? config?.maxOutputTokens;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function estimateTokens(tally: { chars: number; images: number }): number {
  return Math.ceil(tally.chars / CHARS_PER_TOKEN) + tally.images * TOKENS_PER_IMAGE;
}
