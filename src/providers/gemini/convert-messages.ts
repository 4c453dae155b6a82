// Canonical messages → Gemini `systemInstruction` + `contents`.
// System and developer messages are collected in order into systemInstruction (a system message in the
// middle of a conversation loses its position). Assistant turns become role `model`; tool results become
// functionResponse parts in a `user` turn. Consecutive turns of the same role are merged, as Gemini wants
// user/model alternation.
import type { Warnings } from '../../core/adapters.ts';
import type { Message, Part, ReasoningPart, ToolCallPart, ToolResultPart } from '../../core/canonical.ts';
import { convertFile, convertImage, type FetchedImages } from './convert-media.ts';
import type { GeminiContent, GeminiPart } from './wire-types.ts';

export interface ConvertedMessages {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: GeminiContent[];
}

interface ConvertState {
  warnings: Warnings;
  fetched: FetchedImages;
  /** tool call id → function name, for functionResponse.name */
  toolNames: Map<string, string>;
}

export function convertMessages(
  messages: Message[],
  warnings: Warnings,
  fetched: FetchedImages,
): ConvertedMessages {
  const state: ConvertState = { warnings, fetched, toolNames: new Map() };
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  for (const message of messages) {
    if (message.name !== undefined) warnings.add('message name: not supported by Gemini, ignored');
    if (message.role === 'system' || message.role === 'developer') {
      collectSystem(message, system, warnings);
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = convertContent(message.content, role, state);
    if (parts.length === 0) continue;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function collectSystem(message: Message, system: Array<{ text: string }>, warnings: Warnings): void {
  for (const part of message.content) {
    if (part.type === 'text') {
      if (part.text !== '') system.push({ text: part.text });
    } else {
      warnings.add(`system message: ${part.type} parts are not supported by Gemini, omitted`);
    }
  }
}

/**
 * A message's parts. In a model turn an empty Gemini reasoning part that only carries a signature (what
 * parse-response.ts makes of a signed plain text part) is folded back onto the text part right after it,
 * `{text, thoughtSignature}`; with no text part right after, it goes out as `{text: '', thoughtSignature}`
 * where it stood, which is how Gemini itself streams a text turn's signature.
 */
function convertContent(content: Part[], role: 'user' | 'model', state: ConvertState): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let held: string | undefined;
  for (const part of content) {
    if (held !== undefined) {
      if (part.type === 'text') {
        parts.push({ text: part.text, thoughtSignature: held });
        held = undefined;
        continue;
      }
      parts.push({ text: '', thoughtSignature: held });
      held = undefined;
    }
    if (role === 'model' && isTextSignature(part)) held = part.signature;
    else parts.push(...convertPart(part, role, state));
  }
  if (held !== undefined) parts.push({ text: '', thoughtSignature: held });
  return parts;
}

function isTextSignature(part: Part): part is ReasoningPart & { signature: string } {
  return (
    part.type === 'reasoning' && part.text === '' && part.signatureProtocol === 'gemini' && !!part.signature
  );
}

function convertPart(part: Part, role: 'user' | 'model', state: ConvertState): GeminiPart[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ text: part.text }];
    case 'image':
      return present(convertImage(part, state.fetched, state.warnings));
    case 'file':
      return present(convertFile(part, state.warnings));
    case 'reasoning':
      // Only Gemini's own thoughts (with their signature) mean anything to Gemini; others are history only.
      if (role !== 'model' || part.signatureProtocol !== 'gemini' || !part.signature) return [];
      return [{ text: part.text, thought: true, thoughtSignature: part.signature }];
    case 'tool-call':
      return [convertToolCall(part, state)];
    case 'tool-result':
      return convertToolResult(part, state);
  }
}

function convertToolCall(part: ToolCallPart, state: ConvertState): GeminiPart {
  state.toolNames.set(part.id, part.name);
  const out: GeminiPart = {
    functionCall: { name: part.name, args: parseArguments(part.arguments, state.warnings) },
  };
  if (part.signature) out.thoughtSignature = part.signature;
  return out;
}

function parseArguments(text: string, warnings: Warnings): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // fall through
  }
  warnings.add('tool call arguments: not a JSON object, sent to Gemini as {}');
  return {};
}

function convertToolResult(part: ToolResultPart, state: ConvertState): GeminiPart[] {
  let name = part.toolName ?? state.toolNames.get(part.toolCallId);
  if (name === undefined) {
    state.warnings.add('tool result: no matching tool call to name it; the call id is used as the name');
    name = part.toolCallId;
  }
  const text = part.content
    .filter((item) => item.type === 'text')
    .map((item) => item.text)
    .join('\n');
  const parts: GeminiPart[] = [
    { functionResponse: { name, response: toResponseObject(text, part.isError) } },
  ];
  for (const item of part.content) {
    if (item.type === 'image') parts.push(...present(convertImage(item, state.fetched, state.warnings)));
  }
  return parts;
}

/**
 * Gemini wants `functionResponse.response` to be an object: a JSON object result is sent as it is,
 * anything else is wrapped as `{result: text}`. Gemini has no error flag, so an error result is
 * wrapped as `{error: ...}` instead.
 */
export function toResponseObject(text: string, isError?: boolean): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isError) return { error: isPlainObject(parsed) ? parsed : text };
  return isPlainObject(parsed) ? parsed : { result: text };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(part: GeminiPart | undefined): GeminiPart[] {
  return part ? [part] : [];
}
