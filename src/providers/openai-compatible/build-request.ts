import type { BuildContext, UpstreamRequest } from '../../core/adapters.ts';
import type { CanonicalRequest, Message, Part, ToolChoice } from '../../core/canonical.ts';
import { applyVendorQuirks } from './apply-quirks.ts';
import { upstreamHeaders } from './auth-headers.ts';
import { presetOf } from './instances.ts';

/** Canonical request → OpenAI Chat Completions body, for clients that spoke another protocol. */
export function buildChatBody(request: CanonicalRequest, context: BuildContext): Record<string, unknown> {
  const preset = presetOf(context.target.provider);
  const body: Record<string, unknown> = {
    model: context.target.deployment.model,
    messages: request.messages.flatMap((message) => convertMessage(message, context)),
  };
  if (request.stream) {
    body.stream = true;
    if (preset.streamUsage) body.stream_options = { include_usage: true };
  }
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined && { description: tool.description }),
        ...(tool.parameters !== undefined && { parameters: tool.parameters }),
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
    }));
  }
  if (request.toolChoice) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined && request.tools?.length) {
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  const format = request.responseFormat;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  if (format?.type === 'json-schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        ...(format.description !== undefined && { description: format.description }),
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
      },
    };
  }
  if (request.maxOutputTokens !== undefined) body[preset.maxTokensField] = request.maxOutputTokens;
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'top_p', request.topP);
  setIfDefined(body, 'seed', request.seed);
  setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
  setIfDefined(body, 'presence_penalty', request.presencePenalty);
  setIfDefined(body, 'n', request.n);
  setIfDefined(body, 'user', request.user);
  if (request.stop?.length) body.stop = request.stop;
  if (request.topK !== undefined) context.warnings.add(`top_k: not supported by ${preset.id}, dropped`);
  if (request.reasoning?.effort) body.reasoning_effort = request.reasoning.effort;
  else if (request.reasoning?.budgetTokens !== undefined) {
    body.reasoning_effort = effortForBudget(request.reasoning.budgetTokens);
  }
  for (const field of Object.keys(request.extra)) {
    context.warnings.add(`${field}: no equivalent on ${preset.id}, dropped`);
  }
  applyVendorQuirks(body, preset, context.warnings);
  return body;
}

export function buildRequest(request: CanonicalRequest, context: BuildContext): UpstreamRequest {
  const provider = context.target.provider;
  return {
    method: 'POST',
    url: `${provider.baseUrl}/chat/completions`,
    headers: upstreamHeaders(provider, request.stream),
    body: JSON.stringify(buildChatBody(request, context)),
  };
}

/** Budget → effort, the inverse of the mapping other adapters use (low ≈ 1k, medium ≈ 8k, high ≈ 24k). */
function effortForBudget(budget: number): string {
  if (budget <= 0) return 'none';
  if (budget <= 2048) return 'low';
  if (budget <= 12_000) return 'medium';
  return 'high';
}

function setIfDefined(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function convertToolChoice(choice: ToolChoice): unknown {
  if (choice.type === 'tool') return { type: 'function', function: { name: choice.name } };
  return choice.type;
}

function convertMessage(message: Message, context: BuildContext): Array<Record<string, unknown>> {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ role: message.role, content: textOf(message.content) }];
    case 'user':
      return [withName({ role: 'user', content: userContent(message.content, context) }, message.name)];
    case 'assistant':
      return [assistantMessage(message.content, context)];
    case 'tool':
      return toolMessages(message.content);
  }
}

function withName(message: Record<string, unknown>, name: string | undefined): Record<string, unknown> {
  if (name !== undefined) message.name = name;
  return message;
}

function textOf(parts: Part[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function userContent(parts: Part[], context: BuildContext): string | Array<Record<string, unknown>> {
  if (parts.every((part) => part.type === 'text')) return textOf(parts);
  const out: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (part.type === 'text') out.push({ type: 'text', text: part.text });
    else if (part.type === 'image') {
      const url =
        part.source.kind === 'url'
          ? part.source.url
          : `data:${part.source.mediaType};base64,${part.source.data}`;
      out.push({ type: 'image_url', image_url: { url, ...(part.detail && { detail: part.detail }) } });
    } else if (part.type === 'file') {
      const file: Record<string, unknown> = {};
      if (part.fileId) file.file_id = part.fileId;
      if (part.data)
        file.file_data = `data:${part.mediaType ?? 'application/octet-stream'};base64,${part.data}`;
      if (part.filename) file.filename = part.filename;
      out.push({ type: 'file', file });
    } else context.warnings.add(`${part.type} content in a user message: not supported, dropped`);
  }
  return out;
}

function assistantMessage(parts: Part[], context: BuildContext): Record<string, unknown> {
  const text = textOf(parts);
  const toolCalls = parts.flatMap((part) =>
    part.type === 'tool-call'
      ? [{ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }]
      : [],
  );
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length ? null : text,
  };
  if (toolCalls.length) message.tool_calls = toolCalls;
  const reasoning = parts.filter((part) => part.type === 'reasoning');
  if (reasoning.length) {
    const preset = presetOf(context.target.provider);
    if (preset.reasoningField) message[preset.reasoningField] = reasoning.map((part) => part.text).join('');
    else context.warnings.add('reasoning history: not accepted by this provider, dropped');
  }
  return message;
}

function toolMessages(parts: Part[]): Array<Record<string, unknown>> {
  return parts.flatMap((part) => {
    if (part.type !== 'tool-result') return [];
    const onlyText = part.content.every((item) => item.type === 'text');
    const content = onlyText
      ? part.content.map((item) => (item.type === 'text' ? item.text : '')).join('')
      : part.content.map((item) =>
          item.type === 'text'
            ? { type: 'text', text: item.text }
            : {
                type: 'image_url',
                image_url: {
                  url:
                    item.source.kind === 'url'
                      ? item.source.url
                      : `data:${item.source.mediaType};base64,${item.source.data}`,
                },
              },
        );
    return [{ role: 'tool', tool_call_id: part.toolCallId, content }];
  });
}
