import type { ToolChoice, ToolDefinition } from '../../core/canonical.ts';
import { openApiToJsonSchema } from './convert-schema.ts';
import {
  invalid,
  isObject,
  type JsonObject,
  optionalArray,
  optionalObject,
  optionalString,
  otherFields,
} from './read-field.ts';

export interface DecodedTools {
  tools?: ToolDefinition[];
  /** non-function tools (googleSearch, codeExecution, urlContext, ...) as the client sent them */
  otherTools: JsonObject[];
}

export function decodeTools(value: unknown): DecodedTools {
  if (value === undefined || value === null) return { otherTools: [] };
  if (!Array.isArray(value)) throw invalid('tools must be an array');
  const tools: ToolDefinition[] = [];
  const otherTools: JsonObject[] = [];
  value.forEach((tool, i) => {
    const where = `tools[${i}]`;
    if (!isObject(tool)) throw invalid(`${where} must be an object`);
    const declarations = optionalArray(tool, 'functionDeclarations', where) ?? [];
    declarations.forEach((declaration, j) => {
      tools.push(decodeDeclaration(declaration, `${where}.functionDeclarations[${j}]`));
    });
    const rest = otherFields(tool, FUNCTION_TOOL_FIELDS);
    if (Object.keys(rest).length > 0) otherTools.push(rest);
  });
  return tools.length > 0 ? { tools, otherTools } : { otherTools };
}

const FUNCTION_TOOL_FIELDS = new Set(['functionDeclarations']);

function decodeDeclaration(declaration: unknown, where: string): ToolDefinition {
  if (!isObject(declaration)) throw invalid(`${where} must be an object`);
  const name = optionalString(declaration, 'name', where);
  if (!name) throw invalid(`${where}.name is required`);
  const out: ToolDefinition = { name };
  const description = optionalString(declaration, 'description', where);
  if (description !== undefined) out.description = description;
  const jsonSchema = optionalObject(declaration, 'parametersJsonSchema', where);
  const openApi = optionalObject(declaration, 'parameters', where);
  if (jsonSchema) out.parameters = jsonSchema;
  else if (openApi) out.parameters = openApiToJsonSchema(openApi);
  return out;
}

export interface DecodedToolConfig {
  toolChoice?: ToolChoice;
  /** parts of toolConfig with no canonical home (retrievalConfig, several allowed names, VALIDATED) */
  rest?: JsonObject;
}

export function decodeToolConfig(value: unknown): DecodedToolConfig {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid('toolConfig must be an object');
  const rest = otherFields(value, new Set(['functionCallingConfig']));
  const config = optionalObject(value, 'functionCallingConfig', 'toolConfig');
  const decoded = config ? decodeFunctionCallingConfig(config) : {};
  if (decoded.rest) rest.functionCallingConfig = decoded.rest;
  const out: DecodedToolConfig = {};
  if (decoded.toolChoice) out.toolChoice = decoded.toolChoice;
  if (Object.keys(rest).length > 0) out.rest = rest;
  return out;
}

function decodeFunctionCallingConfig(config: JsonObject): { toolChoice?: ToolChoice; rest?: JsonObject } {
  const where = 'toolConfig.functionCallingConfig';
  const mode = (optionalString(config, 'mode', where) ?? 'AUTO').toUpperCase();
  const names = (optionalArray(config, 'allowedFunctionNames', where) ?? []).map((name, i) => {
    if (typeof name !== 'string') throw invalid(`${where}.allowedFunctionNames[${i}] must be a string`);
    return name;
  });
  const toolChoice = modeChoice(mode, names, where);
  const unknown = otherFields(config, new Set(['mode', 'allowedFunctionNames']));
  // Canonical tool choice names one tool at most; anything finer is kept whole for Gemini targets.
  const exact =
    Object.keys(unknown).length === 0 &&
    mode !== 'VALIDATED' &&
    (names.length === 0 || (mode === 'ANY' && names.length === 1));
  return exact ? { toolChoice } : { toolChoice, rest: otherFields(config, new Set()) };
}

function modeChoice(mode: string, names: string[], where: string): ToolChoice {
  if (mode === 'AUTO' || mode === 'MODE_UNSPECIFIED' || mode === 'VALIDATED') return { type: 'auto' };
  if (mode === 'NONE') return { type: 'none' };
  if (mode === 'ANY') return names.length === 1 ? { type: 'tool', name: names[0] } : { type: 'required' };
  throw invalid(`${where}.mode must be AUTO, ANY, NONE or VALIDATED (got "${mode}")`);
}
