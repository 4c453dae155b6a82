import type { IncomingRequestInfo } from '../../core/adapters.ts';
import type {
  CanonicalRequest,
  ImagePart,
  Message,
  Part,
  ResponseFormat,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
} from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { decodeReasoningDetails } from './decode-reasoning-details.ts';

type Json = Record<string, unknown>;

/** Fields decoded into canonical ones; everything else is kept in `extra`. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'reasoning_effort',
  'n',
  'user',
  'metadata',
  'stream',
  'stream_options',
]);

function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

export function decodeRequest(raw: unknown, _info?: IncomingRequestInfo): CanonicalRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid('Request body must be a JSON object', 'body');
  }
  const body = raw as Json;
  validateBasics(body);
  const request: CanonicalRequest = {
    model: body.model as string,
    messages: (body.messages as Json[]).map((message, index) => decodeMessage(message, index)),
    stream: body.stream === true,
    extra: {},
  };
  if (Array.isArray(body.tools)) request.tools = (body.tools as Json[]).map(decodeTool);
  if (body.tool_choice !== undefined) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  if (body.response_format !== undefined) request.responseFormat = decodeResponseFormat(body.response_format);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === 'number') request.maxOutputTokens = maxTokens;
  copyNumber(body, 'temperature', request, 'temperature');
  copyNumber(body, 'top_p', request, 'topP');
  copyNumber(body, 'top_k', request, 'topK');
  copyNumber(body, 'seed', request, 'seed');
  copyNumber(body, 'frequency_penalty', request, 'frequencyPenalty');
  copyNumber(body, 'presence_penalty', request, 'presencePenalty');
  copyNumber(body, 'n', request, 'n');
  if (typeof body.stop === 'string') request.stop = [body.stop];
  else if (Array.isArray(body.stop)) request.stop = body.stop.filter((item) => typeof item === 'string');
  if (typeof body.reasoning_effort === 'string') {
    request.reasoning = {
      effort: body.reasoning_effort as NonNullable<CanonicalRequest['reasoning']>['effort'],
    };
  }
  if (typeof body.user === 'string') request.user = body.user;
  if (body.metadata && typeof body.metadata === 'object')
    request.metadata = body.metadata as Record<string, string>;
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(key) && value !== undefined && value !== null) request.extra[key] = value;
  }
  return request;
}

export function validateBasics(body: Json): void {
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalid('you must provide a model parameter', 'model');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid("'messages' must be a non-empty array", 'messages');
  }
}

type NumberKeys = 'temperature' | 'topP' | 'topK' | 'seed' | 'frequencyPenalty' | 'presencePenalty' | 'n';
function copyNumber(body: Json, from: string, request: CanonicalRequest, to: NumberKeys): void {
  const value = body[from];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number') throw invalid(`'${from}' must be a number`, from);
  request[to] = value;
}

function decodeMessage(raw: Json, index: number): Message {
  if (!raw || typeof raw !== 'object')
    throw invalid(`messages[${index}] must be an object`, `messages[${index}]`);
  const role = raw.role;
  const name = typeof raw.name === 'string' ? raw.name : undefined;
  switch (role) {
    case 'system':
    case 'developer':
      return { role, content: textParts(raw.content, index) };
    case 'user':
      return { role, content: userParts(raw.content, index), ...(name && { name }) };
    case 'assistant':
      return { role, content: assistantParts(raw, index), ...(name && { name }) };
    case 'tool':
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: String(raw.tool_call_id ?? ''),
            content: toolResultContent(raw.content, index),
          },
        ],
      };
    case 'function':
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: name ?? '',
            toolName: name,
            content: textParts(raw.content, index),
          },
        ],
      };
    default:
      throw invalid(
        `messages[${index}].role '${String(role)}' is not one of system, developer, user, assistant, tool`,
        `messages[${index}].role`,
      );
  }
}

function textParts(content: unknown, index: number): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content))
    throw invalid(`messages[${index}].content must be a string or an array`, `messages[${index}].content`);
  return content.flatMap((part: Json) =>
    part?.type === 'text' ? [{ type: 'text' as const, text: String(part.text ?? '') }] : [],
  );
}

function toolResultContent(content: unknown, index: number): Array<TextPart | ImagePart> {
  if (!Array.isArray(content)) return textParts(content, index);
  return userParts(content, index).filter((part): part is TextPart | ImagePart => part.type !== 'file');
}

function userParts(content: unknown, index: number): Part[] {
  if (!Array.isArray(content)) return textParts(content, index);
  return content.map((part: Json, partIndex) => {
    const where = `messages[${index}].content[${partIndex}]`;
    switch (part?.type) {
      case 'text':
        return { type: 'text', text: String(part.text ?? '') };
      case 'image_url':
        return decodeImage(part.image_url as Json | undefined, where);
      case 'file': {
        const file = (part.file ?? {}) as Json;
        return decodeFile(file);
      }
      case 'input_audio': {
        const audio = (part.input_audio ?? {}) as Json;
        return {
          type: 'file',
          mediaType: `audio/${String(audio.format ?? 'wav')}`,
          data: String(audio.data ?? ''),
        };
      }
      default:
        throw invalid(`${where}.type '${String(part?.type)}' is not supported`, where);
    }
  });
}

function decodeImage(image: Json | undefined, where: string): ImagePart {
  const url = image?.url;
  if (typeof url !== 'string' || url === '') throw invalid(`${where}.image_url.url is required`, where);
  const detail = image?.detail as ImagePart['detail'];
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  const source: ImagePart['source'] = match
    ? { kind: 'base64', mediaType: match[1], data: match[2] }
    : { kind: 'url', url };
  return detail ? { type: 'image', source, detail } : { type: 'image', source };
}

function decodeFile(file: Json): Part {
  const dataUrl =
    typeof file.file_data === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(file.file_data) : null;
  return {
    type: 'file',
    ...(typeof file.filename === 'string' && { filename: file.filename }),
    ...(typeof file.file_id === 'string' && { fileId: file.file_id }),
    ...(dataUrl && { mediaType: dataUrl[1], data: dataUrl[2] }),
  };
}

function assistantParts(raw: Json, index: number): Part[] {
  const calls = toolCallParts(raw.tool_calls);
  const details = decodeReasoningDetails(
    raw.reasoning_details,
    new Set(calls.map((call) => call.id)),
    `messages[${index}].reasoning_details`,
  );
  const parts: Part[] = [];
  if (details) {
    // the details hold the reasoning text too, with its tokens; reasoning_content would repeat it
    parts.push(...details.reasoning);
    for (const call of calls) {
      const signature = details.callSignatures.get(call.id);
      if (signature !== undefined) call.signature = signature;
    }
  } else {
    const reasoning = raw.reasoning_content ?? raw.reasoning;
    if (typeof reasoning === 'string' && reasoning) parts.push({ type: 'reasoning', text: reasoning });
  }
  parts.push(...textParts(raw.content, index), ...calls);
  return parts;
}

function toolCallParts(value: unknown): ToolCallPart[] {
  if (!Array.isArray(value)) return [];
  return (value as Json[]).map((call) => {
    const fn = (call.function ?? {}) as Json;
    return {
      type: 'tool-call',
      id: String(call.id ?? ''),
      name: String(fn.name ?? ''),
      arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
    };
  });
}

function decodeTool(tool: Json, index: number): ToolDefinition {
  const fn = tool?.function as Json | undefined;
  if (tool?.type !== 'function' || !fn || typeof fn.name !== 'string') {
    throw invalid(`tools[${index}] must be {type:'function', function:{name,...}}`, `tools[${index}]`);
  }
  return {
    name: fn.name,
    ...(typeof fn.description === 'string' && { description: fn.description }),
    ...(fn.parameters !== undefined && { parameters: fn.parameters as Record<string, unknown> }),
    ...(typeof fn.strict === 'boolean' && { strict: fn.strict }),
  };
}

function decodeToolChoice(choice: unknown): ToolChoice {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  const named = (choice as Json)?.function as Json | undefined;
  if (typeof named?.name === 'string') return { type: 'tool', name: named.name };
  throw invalid("'tool_choice' must be 'auto', 'none', 'required' or a named function", 'tool_choice');
}

function decodeResponseFormat(format: unknown): ResponseFormat {
  const value = format as Json;
  if (value?.type === 'text') return { type: 'text' };
  if (value?.type === 'json_object') return { type: 'json' };
  if (value?.type === 'json_schema') {
    const spec = (value.json_schema ?? {}) as Json;
    return {
      type: 'json-schema',
      name: String(spec.name ?? 'response'),
      ...(typeof spec.description === 'string' && { description: spec.description }),
      schema: (spec.schema ?? {}) as Record<string, unknown>,
      ...(typeof spec.strict === 'boolean' && { strict: spec.strict }),
    };
  }
  throw invalid("'response_format.type' must be text, json_object or json_schema", 'response_format');
}
