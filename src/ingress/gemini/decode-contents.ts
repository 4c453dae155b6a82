import type {
  ImagePart,
  Message,
  Part,
  Role,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../../core/canonical.ts';
import { decodeContentPart, decodeInlineData } from './decode-part.ts';
import {
  field,
  invalid,
  isObject,
  type JsonObject,
  optionalArray,
  optionalObject,
  optionalString,
} from './read-field.ts';

/**
 * Gemini function calls carry no id (Vertex and some newer models send one). Calls get their own id when
 * present, else `call_<turn>_<n>`; a functionResponse answers the call with its id, else the oldest
 * unanswered call of the same name (an answer to no call gets `call_<turn>_r<n>`).
 */
class ToolCallIds {
  private readonly pending: Array<{ id: string; name: string }> = [];

  call(name: string, explicitId: string | undefined, turn: number, n: number): string {
    const id = explicitId ?? `call_${turn}_${n}`;
    this.pending.push({ id, name });
    return id;
  }

  answer(name: string, explicitId: string | undefined, turn: number, n: number): string {
    let at = explicitId === undefined ? -1 : this.pending.findIndex((call) => call.id === explicitId);
    if (at < 0) at = this.pending.findIndex((call) => call.name === name);
    if (at < 0) return explicitId ?? `call_${turn}_r${n}`;
    return this.pending.splice(at, 1)[0].id;
  }
}

export function decodeSystemInstruction(value: unknown): Message | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { role: 'system', content: [{ type: 'text', text: value }] };
  if (!isObject(value)) throw invalid('systemInstruction must be an object with parts');
  const parts = optionalArray(value, 'parts', 'systemInstruction') ?? [];
  const content: TextPart[] = parts.map((part, i) => {
    const text = isObject(part) ? field(part, 'text') : undefined;
    if (typeof text !== 'string') throw invalid(`systemInstruction.parts[${i}] must be a text part`);
    return { type: 'text', text };
  });
  return content.length > 0 ? { role: 'system', content } : undefined;
}

export function decodeContents(value: unknown): Message[] {
  if (value === undefined || value === null) throw invalid('contents is required');
  if (!Array.isArray(value)) throw invalid('contents must be an array of {role, parts}');
  if (value.length === 0) throw invalid('contents must not be empty');
  const ids = new ToolCallIds();
  return value.flatMap((content, turn) => decodeTurn(content, turn, ids));
}

function decodeTurn(content: unknown, turn: number, ids: ToolCallIds): Message[] {
  const where = `contents[${turn}]`;
  if (!isObject(content)) throw invalid(`${where} must be an object with role and parts`);
  const role = turnRole(optionalString(content, 'role', where), where);
  const parts = optionalArray(content, 'parts', where);
  if (!parts || parts.length === 0) throw invalid(`${where}.parts must be a non-empty array`);
  const messages: Message[] = [];
  let calls = 0;
  let results = 0;
  parts.forEach((part, i) => {
    const at = `${where}.parts[${i}]`;
    if (!isObject(part)) throw invalid(`${at} must be an object`);
    const call = field(part, 'functionCall');
    const response = field(part, 'functionResponse');
    if (call !== undefined) {
      append(messages, role, [
        decodeFunctionCall(part, call, `${at}.functionCall`, (name, id) => ids.call(name, id, turn, calls++)),
      ]);
    } else if (response !== undefined) {
      const result = decodeFunctionResponse(response, `${at}.functionResponse`, (name, id) =>
        ids.answer(name, id, turn, results++),
      );
      messages.push({ role: 'tool', content: [result] });
    } else {
      append(messages, role, decodeContentPart(part, at));
    }
  });
  return messages;
}

function turnRole(role: string | undefined, where: string): Role {
  if (role === undefined || role === '' || role === 'user' || role === 'function' || role === 'tool')
    return 'user';
  if (role === 'model') return 'assistant';
  throw invalid(`${where}.role must be "user" or "model" (got "${role}")`);
}

/** Adds parts to the trailing message of this role, or opens a new one (tool results split a turn). */
function append(messages: Message[], role: Role, parts: Part[]): void {
  const last = messages.at(-1);
  if (last && last.role === role) {
    absorbThoughtText(last.content, parts[0]);
    last.content.push(...parts);
  } else messages.push({ role, content: parts });
}

/**
 * A streamed thought arrives as unsigned thought text parts and then a part carrying the signature. When
 * that signature belongs to another protocol (an Anthropic thinking signature in the shared envelope),
 * the provider needs the whole text with it, so the unsigned thought text just before it joins the
 * signed part. Gemini's own thoughts stay as the client sent them.
 */
function absorbThoughtText(content: Part[], next: Part | undefined): void {
  if (next?.type !== 'reasoning' || next.signature === undefined) return;
  if (next.signatureProtocol === undefined || next.signatureProtocol === 'gemini') return;
  let text = '';
  while (content.length > 0) {
    const previous = content.at(-1)!;
    if (
      previous.type !== 'reasoning' ||
      previous.signature !== undefined ||
      previous.redactedData !== undefined
    )
      break;
    text = previous.text + text;
    content.pop();
  }
  next.text = text + next.text;
}

type IdFor = (name: string, explicitId: string | undefined) => string;

function decodeFunctionCall(part: JsonObject, call: unknown, where: string, idFor: IdFor): ToolCallPart {
  if (!isObject(call)) throw invalid(`${where} must be an object`);
  const name = optionalString(call, 'name', where);
  if (!name) throw invalid(`${where}.name is required`);
  const args = field(call, 'args') ?? {};
  const out: ToolCallPart = {
    type: 'tool-call',
    id: idFor(name, optionalString(call, 'id', where)),
    name,
    arguments: JSON.stringify(args),
  };
  const signature = optionalString(part, 'thoughtSignature', where);
  if (signature) out.signature = signature;
  return out;
}

function decodeFunctionResponse(response: unknown, where: string, idFor: IdFor): ToolResultPart {
  if (!isObject(response)) throw invalid(`${where} must be an object`);
  const name = optionalString(response, 'name', where);
  if (!name) throw invalid(`${where}.name is required`);
  const body = optionalObject(response, 'response', where);
  if (!body) throw invalid(`${where}.response must be an object`);
  const content: Array<TextPart | ImagePart> = [{ type: 'text', text: JSON.stringify(body) }];
  const extraParts = optionalArray(response, 'parts', where) ?? [];
  extraParts.forEach((part, i) => {
    const inline = isObject(part) ? field(part, 'inlineData') : undefined;
    const media = decodeInlineData(inline, `${where}.parts[${i}].inlineData`);
    if (media.type !== 'image')
      throw invalid(`${where}.parts[${i}]: only images are supported in a function response`);
    content.push(media);
  });
  const out: ToolResultPart = {
    type: 'tool-result',
    toolCallId: idFor(name, optionalString(response, 'id', where)),
    toolName: name,
    content,
  };
  // The SDK's convention: `error` without `output` marks a failed call.
  if (body.error !== undefined && body.output === undefined) out.isError = true;
  return out;
}
