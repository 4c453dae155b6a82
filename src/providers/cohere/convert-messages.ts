// Canonical messages → Cohere v2 `messages`.
import type { Warnings } from '../../core/adapters.ts';
import type { ImageSource, Message, Part, ToolResultPart } from '../../core/canonical.ts';
import type { CohereV2Message, CohereV2ToolCall, CohereV2UserContent } from './wire-types.ts';

/**
 * System and developer messages are merged into one leading system message (joined by a blank line);
 * tool results become `tool` messages with `document` content, wherever the client put them.
 */
export function convertMessages(messages: readonly Message[], warnings: Warnings): CohereV2Message[] {
  const system: string[] = [];
  const out: CohereV2Message[] = [];
  for (const message of messages) {
    if (message.name !== undefined) warnings.add('messages[].name: Cohere has no message names; ignored');
    switch (message.role) {
      case 'system':
      case 'developer':
        if (out.length > 0)
          warnings.add('messages: a later system message was merged into the leading system prompt');
        system.push(systemText(message.content, warnings));
        break;
      case 'user':
      case 'tool':
        out.push(...convertUserOrTool(message.content, warnings));
        break;
      case 'assistant': {
        const assistant = convertAssistant(message.content, warnings);
        if (assistant) out.push(assistant);
        break;
      }
    }
  }
  if (system.length > 0) out.unshift({ role: 'system', content: system.join('\n\n') });
  return out;
}

function systemText(parts: readonly Part[], warnings: Warnings): string {
  let text = '';
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else warnings.add(`system message: ${part.type} parts are not supported by Cohere; dropped`);
  }
  return text;
}

/** Tool results first (each its own `tool` message), then the rest as one user message. */
function convertUserOrTool(parts: readonly Part[], warnings: Warnings): CohereV2Message[] {
  const out: CohereV2Message[] = [];
  const content: CohereV2UserContent[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'tool-result':
        out.push(convertToolResult(part, warnings));
        break;
      case 'text':
        content.push({ type: 'text', text: part.text });
        break;
      case 'image':
        content.push({ type: 'image_url', image_url: imageUrl(part.source, part.detail) });
        break;
      default:
        warnings.add(`user message: ${part.type} parts are not supported by Cohere chat; dropped`);
    }
  }
  if (content.length > 0) out.push({ role: 'user', content });
  return out;
}

function imageUrl(
  source: ImageSource,
  detail?: 'auto' | 'low' | 'high',
): { url: string; detail?: 'auto' | 'low' | 'high' } {
  const url = source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
  return detail === undefined ? { url } : { url, detail };
}

function convertToolResult(part: ToolResultPart, warnings: Warnings): CohereV2Message {
  if (part.isError)
    warnings.add('tool result is_error: Cohere has no error flag; sent as an ordinary result');
  let data = '';
  for (const inner of part.content) {
    if (inner.type === 'text') data += inner.text;
    else warnings.add('tool result: images are not supported by Cohere; dropped');
  }
  return { role: 'tool', tool_call_id: part.toolCallId, content: [{ type: 'document', document: { data } }] };
}

/** Text alone → `content`; text with tool calls → `tool_plan` + `tool_calls`. */
function convertAssistant(parts: readonly Part[], warnings: Warnings): CohereV2Message | undefined {
  let text = '';
  const toolCalls: CohereV2ToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call') {
      const args = part.arguments.trim() === '' ? '{}' : part.arguments;
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: args } });
    } else if (part.type === 'reasoning') {
      warnings.add('assistant history: reasoning is not sent back to Cohere; dropped');
    } else warnings.add(`assistant message: ${part.type} parts are not supported by Cohere; dropped`);
  }
  if (toolCalls.length > 0) {
    return text === ''
      ? { role: 'assistant', tool_calls: toolCalls }
      : { role: 'assistant', tool_plan: text, tool_calls: toolCalls };
  }
  if (text === '') return undefined;
  return { role: 'assistant', content: [{ type: 'text', text }] };
}
