import type { Message, Part, ReasoningPart, Role, ToolCallPart } from '../../core/canonical.ts';
import { unwrapToken } from '../signature-envelope.ts';
import { decodeContent, decodeToolOutput } from './decode-content.ts';
import { invalid, isObject, type Json, requireString, unsupported } from './json.ts';
import { callSignatureOfReference } from './output-items.ts';
import { decodeReasoningToken } from './reasoning-token.ts';

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

/** Item types that are valid Responses input but only mean something to OpenAI's own servers. */
const SERVER_SIDE_ITEMS = new Set([
  'item_reference',
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'compaction',
]);

/**
 * Turns `input` (a string or a list of items) into canonical messages. Assistant-side items
 * (assistant messages, reasoning, function calls) that follow each other form one assistant message.
 */
export function inputToMessages(input: unknown, path = 'input'): Message[] {
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw invalid(`'${path}' must be a string or an array of input items`, path);
  const builder = new MessageBuilder();
  input.forEach((item, index) => {
    builder.add(item, `${path}[${index}]`);
  });
  return builder.messages;
}

class MessageBuilder {
  readonly messages: Message[] = [];
  /** call_id → function name, so tool results can name their tool */
  private readonly toolNames = new Map<string, string>();
  /** call_id → the call's own signature, from the reasoning item that carried it (output-items.ts) */
  private readonly callSignatures = new Map<string, string>();

  add(item: unknown, path: string): void {
    if (!isObject(item)) throw invalid(`'${path}' must be an object`, path);
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (type === 'message') this.addMessage(item, path);
    else if (type === 'function_call') this.addFunctionCall(item, path);
    else if (type === 'function_call_output') this.addFunctionCallOutput(item, path);
    else if (type === 'reasoning') this.addReasoning(item, path);
    else if (type === 'item_reference' && this.addCallSignatureReference(item)) return;
    else if (typeof type === 'string' && SERVER_SIDE_ITEMS.has(type)) {
      throw unsupported(`Input items of type '${type}' are not supported`, `${path}.type`);
    } else {
      throw invalid(`Unsupported input item type '${String(type)}'`, `${path}.type`);
    }
  }

  private addMessage(item: Json, path: string): void {
    const role = item.role;
    if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
      throw invalid(`'${path}.role' must be one of user, assistant, system, developer`, `${path}.role`);
    }
    const content: Part[] = decodeContent(item.content, `${path}.content`);
    if (role === 'assistant') this.addAssistantParts(content);
    else this.messages.push({ role: role as Role, content });
  }

  private addFunctionCall(item: Json, path: string): void {
    const id = requireString(item.call_id, `${path}.call_id`);
    const name = requireString(item.name, `${path}.name`);
    const args = item.arguments ?? '';
    const argumentsText = typeof args === 'string' ? args : JSON.stringify(args);
    this.toolNames.set(id, name);
    const call: ToolCallPart = { type: 'tool-call', id, name, arguments: argumentsText };
    const signature = this.callSignatures.get(id);
    if (signature !== undefined) call.signature = signature;
    this.addAssistantParts([call]);
  }

  /** An item_reference to a call-signature item carries the signature in its id (output-items.ts). */
  private addCallSignatureReference(item: Json): boolean {
    const token = callSignatureOfReference(item.id);
    if (token?.callId === undefined || token.signature === undefined) return false;
    this.callSignatures.set(token.callId, token.signature);
    return true;
  }

  private addReasoning(item: Json, path: string): void {
    const token =
      typeof item.encrypted_content === 'string' ? unwrapToken(item.encrypted_content) : undefined;
    if (token?.callId !== undefined && token.signature !== undefined) {
      this.callSignatures.set(token.callId, token.signature);
      return;
    }
    this.addAssistantParts([decodeReasoningItem(item, path)]);
  }

  private addFunctionCallOutput(item: Json, path: string): void {
    const toolCallId = requireString(item.call_id, `${path}.call_id`);
    const content = decodeToolOutput(item.output, `${path}.output`);
    const toolName = this.toolNames.get(toolCallId);
    const result: Part = { type: 'tool-result', toolCallId, content };
    if (toolName !== undefined) result.toolName = toolName;
    this.messages.push({ role: 'tool', content: [result] });
  }

  private addAssistantParts(parts: Part[]): void {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant') last.content.push(...parts);
    else this.messages.push({ role: 'assistant', content: parts });
  }
}

/** Summary texts become the reasoning text; `encrypted_content` becomes the opaque signature. */
function decodeReasoningItem(item: Json, path: string): ReasoningPart {
  const summary = item.summary ?? [];
  if (!Array.isArray(summary)) throw invalid(`'${path}.summary' must be an array`, `${path}.summary`);
  let text = textsOf(summary, 'summary_text');
  if (text === '' && Array.isArray(item.content)) text = textsOf(item.content, 'reasoning_text');
  const part: ReasoningPart = { type: 'reasoning', text };
  if (typeof item.encrypted_content === 'string')
    Object.assign(part, decodeReasoningToken(item.encrypted_content));
  return part;
}

function textsOf(parts: unknown[], type: string): string {
  return parts
    .filter((part): part is Json => isObject(part) && part.type === type && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n\n');
}
