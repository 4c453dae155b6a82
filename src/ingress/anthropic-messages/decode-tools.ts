// Anthropic `tools` / `tool_choice` → canonical tools, tool choice and parallel-call setting.
// Server tools (web_search, code_execution, ...) have no canonical form: they are returned apart
// so the request keeps them in `extra.server_tools` and a non-Anthropic provider can warn.
import type { ToolChoice, ToolDefinition } from '../../core/canonical.ts';
import {
  invalid,
  type JsonObject,
  optionalBoolean,
  requireArray,
  requireNonEmptyString,
  requireObject,
} from './validate.ts';

export interface DecodedTools {
  tools: ToolDefinition[];
  serverTools: JsonObject[];
}

export function decodeTools(value: unknown): DecodedTools {
  const out: DecodedTools = { tools: [], serverTools: [] };
  if (value === undefined || value === null) return out;
  requireArray(value, 'tools').forEach((raw, i) => {
    const tool = requireObject(raw, `tools.${i}`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      requireNonEmptyString(tool.type, `tools.${i}.type`);
      out.serverTools.push(tool);
      return;
    }
    out.tools.push(decodeCustomTool(tool, `tools.${i}`));
  });
  return out;
}

function decodeCustomTool(tool: JsonObject, path: string): ToolDefinition {
  const definition: ToolDefinition = { name: requireNonEmptyString(tool.name, `${path}.name`) };
  if (tool.description !== undefined && tool.description !== null) {
    if (typeof tool.description !== 'string') throw invalid(`${path}.description`, 'must be a string');
    definition.description = tool.description;
  }
  if (tool.input_schema === undefined || tool.input_schema === null) {
    throw invalid(`${path}.input_schema`, 'field required');
  }
  definition.parameters = requireObject(tool.input_schema, `${path}.input_schema`);
  const strict = optionalBoolean(tool.strict, `${path}.strict`);
  if (strict !== undefined) definition.strict = strict;
  return definition;
}

export interface DecodedToolChoice {
  toolChoice: ToolChoice;
  /** false when the client set disable_parallel_tool_use: true */
  parallelToolCalls?: false;
}

export function decodeToolChoice(value: unknown): DecodedToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  const choice = requireObject(value, 'tool_choice');
  const disable = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  const parallel = disable === true ? { parallelToolCalls: false as const } : {};
  switch (choice.type) {
    case 'auto':
      return { toolChoice: { type: 'auto' }, ...parallel };
    case 'any':
      return { toolChoice: { type: 'required' }, ...parallel };
    case 'tool':
      return {
        toolChoice: { type: 'tool', name: requireNonEmptyString(choice.name, 'tool_choice.name') },
        ...parallel,
      };
    case 'none':
      return { toolChoice: { type: 'none' } };
    default:
      throw invalid('tool_choice.type', "must be one of 'auto', 'any', 'tool', 'none'");
  }
}
