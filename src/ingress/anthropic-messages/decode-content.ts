// Anthropic content blocks → canonical parts.
import type {
  FilePart,
  ImagePart,
  ImageSource,
  Part,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../../core/canonical.ts';
import { ANTHROPIC_SIGNATURE_PROTOCOL, unwrapToken } from './foreign-signature.ts';
import {
  invalid,
  type JsonObject,
  optionalBoolean,
  requireNonEmptyString,
  requireObject,
  requireString,
} from './validate.ts';

export const SIGNATURE_PROTOCOL = ANTHROPIC_SIGNATURE_PROTOCOL;

/** Shared across one request: tool names by call id, and blocks with no canonical form. */
export interface DecodeState {
  toolNames: Map<string, string>;
  /** valid-looking Anthropic blocks the canonical form cannot hold (server tool blocks, file ids, ...) */
  unmapped: Array<{ path: string; block: JsonObject }>;
  /** tool-call signatures (Gemini's) by call id, from the empty thinking blocks that carried them */
  callSignatures: Map<string, string>;
}

type Role = 'user' | 'assistant';

/** Returns the canonical part, or undefined when the block went to `state.unmapped` or only carried a call signature. */
export function decodeBlock(raw: unknown, role: Role, path: string, state: DecodeState): Part | undefined {
  const block = requireObject(raw, path);
  const type = requireNonEmptyString(block.type, `${path}.type`);
  switch (type) {
    case 'text':
      return { type: 'text', text: requireString(block.text, `${path}.text`) };
    case 'image':
      return decodeImage(block, path, state);
    case 'document':
      return decodeDocument(block, path, state);
    case 'tool_use':
      onlyIn(role, 'assistant', type, path);
      return decodeToolUse(block, path, state);
    case 'tool_result':
      onlyIn(role, 'user', type, path);
      return decodeToolResult(block, path, state);
    case 'thinking':
      onlyIn(role, 'assistant', type, path);
      return decodeThinking(block, path, state);
    case 'redacted_thinking':
      onlyIn(role, 'assistant', type, path);
      return decodeRedacted(requireString(block.data, `${path}.data`));
    default:
      state.unmapped.push({ path, block });
      return undefined;
  }
}

function onlyIn(role: Role, expected: Role, type: string, path: string): void {
  if (role !== expected)
    throw invalid(`${path}.type`, `'${type}' blocks are only allowed in ${expected} messages`);
}

function decodeImage(block: JsonObject, path: string, state: DecodeState): ImagePart | undefined {
  const source = requireObject(block.source, `${path}.source`);
  if (source.type === 'file') {
    requireString(source.file_id, `${path}.source.file_id`);
    state.unmapped.push({ path, block });
    return undefined;
  }
  return { type: 'image', source: decodeImageSource(source, `${path}.source`) };
}

function decodeImageSource(source: JsonObject, path: string): ImageSource {
  if (source.type === 'base64') {
    return {
      kind: 'base64',
      mediaType: requireNonEmptyString(source.media_type, `${path}.media_type`),
      data: requireString(source.data, `${path}.data`),
    };
  }
  if (source.type === 'url') return { kind: 'url', url: requireNonEmptyString(source.url, `${path}.url`) };
  throw invalid(`${path}.type`, "must be one of 'base64', 'url', 'file'");
}

function decodeDocument(block: JsonObject, path: string, state: DecodeState): FilePart | undefined {
  const source = requireObject(block.source, `${path}.source`);
  const filename = typeof block.title === 'string' ? { filename: block.title } : {};
  switch (source.type) {
    case 'base64':
      return {
        type: 'file',
        ...filename,
        mediaType: requireNonEmptyString(source.media_type, `${path}.source.media_type`),
        data: requireString(source.data, `${path}.source.data`),
      };
    case 'text': {
      const text = requireString(source.data, `${path}.source.data`);
      const mediaType = typeof source.media_type === 'string' ? source.media_type : 'text/plain';
      return { type: 'file', ...filename, mediaType, data: Buffer.from(text, 'utf8').toString('base64') };
    }
    case 'file':
      return {
        type: 'file',
        ...filename,
        fileId: requireNonEmptyString(source.file_id, `${path}.source.file_id`),
      };
    case 'url':
    case 'content':
      state.unmapped.push({ path, block });
      return undefined;
    default:
      throw invalid(`${path}.source.type`, "must be one of 'base64', 'text', 'url', 'content', 'file'");
  }
}

function decodeToolUse(block: JsonObject, path: string, state: DecodeState): ToolCallPart {
  const id = requireNonEmptyString(block.id, `${path}.id`);
  const name = requireNonEmptyString(block.name, `${path}.name`);
  const input = requireObject(block.input, `${path}.input`);
  state.toolNames.set(id, name);
  const part: ToolCallPart = { type: 'tool-call', id, name, arguments: JSON.stringify(input) };
  const signature = state.callSignatures.get(id);
  if (signature !== undefined) part.signature = signature;
  return part;
}

function decodeToolResult(block: JsonObject, path: string, state: DecodeState): ToolResultPart {
  const toolCallId = requireNonEmptyString(block.tool_use_id, `${path}.tool_use_id`);
  const part: ToolResultPart = { type: 'tool-result', toolCallId, content: [] };
  const toolName = state.toolNames.get(toolCallId);
  if (toolName !== undefined) part.toolName = toolName;
  part.content = decodeToolResultContent(block.content, `${path}.content`, state);
  if (optionalBoolean(block.is_error, `${path}.is_error`) === true) part.isError = true;
  return part;
}

function decodeToolResultContent(
  content: unknown,
  path: string,
  state: DecodeState,
): Array<TextPart | ImagePart> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(path, 'must be a string or an array of content blocks');
  const parts: Array<TextPart | ImagePart> = [];
  content.forEach((raw, i) => {
    const itemPath = `${path}.${i}`;
    const item = requireObject(raw, itemPath);
    if (item.type === 'text' || item.type === 'image') {
      const part = decodeBlock(item, 'user', itemPath, state);
      if (part) parts.push(part as TextPart | ImagePart);
    } else {
      requireNonEmptyString(item.type, `${itemPath}.type`);
      state.unmapped.push({ path: itemPath, block: item });
    }
  });
  return parts;
}

/** A signature in an envelope goes back to the protocol that issued it (foreign-signature.ts). */
function decodeThinking(block: JsonObject, path: string, state: DecodeState): ReasoningPart | undefined {
  const part: ReasoningPart = { type: 'reasoning', text: requireString(block.thinking, `${path}.thinking`) };
  if (block.signature !== undefined && block.signature !== null) {
    const signature = requireString(block.signature, `${path}.signature`);
    const foreign = unwrapToken(signature);
    if (foreign?.callId !== undefined && foreign.signature !== undefined) {
      // only carried a tool call's signature: it goes back onto that call
      state.callSignatures.set(foreign.callId, foreign.signature);
      return undefined;
    }
    if (foreign?.signature !== undefined) {
      part.signature = foreign.signature;
      part.signatureProtocol = foreign.protocol;
    } else if (signature.length > 0 && !foreign) {
      part.signature = signature;
      part.signatureProtocol = SIGNATURE_PROTOCOL;
    }
  }
  return part;
}

function decodeRedacted(data: string): ReasoningPart {
  const foreign = unwrapToken(data);
  if (foreign?.redactedData !== undefined) {
    return {
      type: 'reasoning',
      text: '',
      redactedData: foreign.redactedData,
      signatureProtocol: foreign.protocol,
    };
  }
  return { type: 'reasoning', text: '', redactedData: data, signatureProtocol: SIGNATURE_PROTOCOL };
}
