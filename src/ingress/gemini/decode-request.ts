import type { IncomingRequestInfo } from '../../core/adapters.ts';
import type { CanonicalRequest, Message } from '../../core/canonical.ts';
import { decodeContents, decodeSystemInstruction } from './decode-contents.ts';
import { decodeGenerationConfig } from './decode-generation-config.ts';
import { decodeToolConfig, decodeTools } from './decode-tools.ts';
import { parseGeminiPath } from './parse-path.ts';
import { field, invalid, isObject, type JsonObject, otherFields } from './read-field.ts';

const GENERATE_METHODS = new Set(['generateContent', 'streamGenerateContent']);

/** Top-level request fields with a canonical home; `model` is ignored because the path names the model. */
const KNOWN = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model']);

/** Decodes a `:generateContent` / `:streamGenerateContent` body; the model and streaming come from the path. */
export function decodeGenerateContentRequest(
  body: unknown,
  info: Pick<IncomingRequestInfo, 'path'>,
): CanonicalRequest {
  const { model, method } = parseGeminiPath(info.path);
  if (!GENERATE_METHODS.has(method)) {
    throw invalid(`Method ${method} is not generateContent or streamGenerateContent`);
  }
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  return decodeBody(body, model, method === 'streamGenerateContent');
}

/** Decodes a `:countTokens` body: `{contents}` or `{generateContentRequest: {...}}`. */
export function decodeCountTokensRequest(body: unknown, path: string): CanonicalRequest {
  const { model } = parseGeminiPath(path);
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  const inner = field(body, 'generateContentRequest');
  if (inner !== undefined && inner !== null) {
    if (!isObject(inner)) throw invalid('generateContentRequest must be an object');
    return decodeBody(inner, model, false);
  }
  return decodeBody(body, model, false);
}

function decodeBody(body: JsonObject, model: string, stream: boolean): CanonicalRequest {
  const messages: Message[] = [];
  const system = decodeSystemInstruction(field(body, 'systemInstruction'));
  if (system) messages.push(system);
  messages.push(...decodeContents(field(body, 'contents')));
  const extra = otherFields(body, KNOWN);
  const request: CanonicalRequest = { model, messages, stream, extra };
  const { tools, otherTools } = decodeTools(field(body, 'tools'));
  if (tools) request.tools = tools;
  if (otherTools.length > 0) extra.tools = otherTools;
  const toolConfig = decodeToolConfig(field(body, 'toolConfig'));
  if (toolConfig.toolChoice) request.toolChoice = toolConfig.toolChoice;
  if (toolConfig.rest) extra.toolConfig = toolConfig.rest;
  const generation = decodeGenerationConfig(field(body, 'generationConfig'));
  Object.assign(request, generation.settings);
  if (generation.rest) extra.generationConfig = generation.rest;
  return request;
}
