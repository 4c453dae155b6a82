// Canonical parts → Anthropic content blocks, one function per part kind.
import type { Warnings } from '../../core/adapters.ts';
import type {
  FilePart,
  ImagePart,
  Part,
  ReasoningPart,
  ToolCallPart,
  ToolResultPart,
} from '../../core/canonical.ts';
import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicRequestBlock,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './wire-types.ts';

export const ANTHROPIC_PROTOCOL = 'anthropic-messages';

/** Anthropic tool ids must match ^[a-zA-Z0-9_-]+$; the same mapping is used for calls and results. */
export function sanitizeToolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]+)*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) return undefined;
  const data = match[3] ? match[4] : Buffer.from(decodeURIComponent(match[4]), 'utf8').toString('base64');
  return { mediaType: match[1], data };
}

export function convertImage(part: ImagePart, warnings: Warnings): AnthropicImageBlock {
  if (part.detail && part.detail !== 'auto')
    warnings.add('image.detail: Anthropic has no image detail setting; ignored');
  if (part.source.kind === 'base64') {
    return {
      type: 'image',
      source: { type: 'base64', media_type: part.source.mediaType, data: part.source.data },
    };
  }
  const inline = parseDataUrl(part.source.url);
  if (inline)
    return { type: 'image', source: { type: 'base64', media_type: inline.mediaType, data: inline.data } };
  return { type: 'image', source: { type: 'url', url: part.source.url } };
}

export function convertFile(
  part: FilePart,
  warnings: Warnings,
): AnthropicDocumentBlock | AnthropicImageBlock | undefined {
  if (part.data === undefined) {
    warnings.add('file: file ids need the Anthropic Files API (beta); the file was dropped');
    return undefined;
  }
  const mediaType = part.mediaType ?? 'application/octet-stream';
  const title = part.filename === undefined ? {} : { title: part.filename };
  if (mediaType === 'application/pdf') {
    return { type: 'document', source: { type: 'base64', media_type: mediaType, data: part.data }, ...title };
  }
  if (mediaType === 'text/plain') {
    const text = Buffer.from(part.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title };
  }
  if (mediaType.startsWith('image/')) {
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: part.data } };
  }
  warnings.add(`file: ${mediaType} files are not supported by Anthropic; the file was dropped`);
  return undefined;
}

export function convertReasoning(part: ReasoningPart, warnings: Warnings): AnthropicRequestBlock | undefined {
  if (part.signatureProtocol !== undefined && part.signatureProtocol !== ANTHROPIC_PROTOCOL) {
    warnings.add(
      `reasoning: reasoning signed by ${part.signatureProtocol} cannot be sent to Anthropic; dropped`,
    );
    return undefined;
  }
  if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
  if (part.signature === undefined) {
    warnings.add('reasoning: reasoning without an Anthropic signature cannot be sent back; dropped');
    return undefined;
  }
  return { type: 'thinking', thinking: part.text, signature: part.signature };
}

export function convertToolCall(part: ToolCallPart, warnings: Warnings): AnthropicToolUseBlock {
  let input: unknown = {};
  if (part.arguments.trim() !== '') {
    try {
      input = JSON.parse(part.arguments);
    } catch {
      input = undefined;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      warnings.add(`tool-call: arguments of ${part.name} are not a JSON object; sent as {}`);
      input = {};
    }
  }
  return { type: 'tool_use', id: sanitizeToolId(part.id), name: part.name, input };
}

export function convertToolResult(part: ToolResultPart, warnings: Warnings): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = {
    type: 'tool_result',
    tool_use_id: sanitizeToolId(part.toolCallId),
  };
  const content: Array<AnthropicTextBlock | AnthropicImageBlock> = [];
  for (const item of part.content) {
    if (item.type === 'image') content.push(convertImage(item, warnings));
    else if (item.text !== '') content.push({ type: 'text', text: item.text });
  }
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.type === 'text') block.content = only.text;
  else if (content.length > 0) block.content = content;
  if (part.isError) block.is_error = true;
  return block;
}

/** One part of a user/tool turn (`user`) or an assistant turn (`assistant`). */
export function convertPart(
  part: Part,
  side: 'user' | 'assistant',
  warnings: Warnings,
): AnthropicRequestBlock | undefined {
  if (part.type === 'text') return part.text === '' ? undefined : { type: 'text', text: part.text };
  if (side === 'user') {
    if (part.type === 'image') return convertImage(part, warnings);
    if (part.type === 'file') return convertFile(part, warnings);
    if (part.type === 'tool-result') return convertToolResult(part, warnings);
  } else {
    if (part.type === 'reasoning') return convertReasoning(part, warnings);
    if (part.type === 'tool-call') return convertToolCall(part, warnings);
  }
  warnings.add(`messages: ${part.type} parts are not allowed in Anthropic ${side} turns; dropped`);
  return undefined;
}
