// Canonical tools, tool choice, parallel-call flag and JSON output → Anthropic `tools` + `tool_choice`.
import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ToolChoice, ToolDefinition } from '../../core/canonical.ts';
import { buildJsonTool, jsonToolName } from './json-tool.ts';
import type { AnthropicTool, AnthropicToolChoice } from './wire-types.ts';

export interface AnthropicToolFields {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

function convertTool(tool: ToolDefinition, warnings: Warnings): AnthropicTool {
  if (tool.strict) warnings.add('tools.strict: Anthropic does not enforce strict tool schemas; ignored');
  const out: AnthropicTool = {
    name: tool.name,
    input_schema: tool.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.description !== undefined) out.description = tool.description;
  return out;
}

function mapToolChoice(choice: ToolChoice): AnthropicToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any' };
    case 'tool':
      return { type: 'tool', name: choice.name };
  }
}

/**
 * With JSON output, the JSON tool is forced; when the client also has its own tools, the model
 * must call one of them or the JSON tool (`any`), unless the client named a tool itself.
 */
function chooseWithJsonTool(request: CanonicalRequest, jsonName: string): AnthropicToolChoice {
  const choice = request.toolChoice;
  if (choice?.type === 'tool') return { type: 'tool', name: choice.name };
  const hasOwnTools = (request.tools?.length ?? 0) > 0;
  if (hasOwnTools && choice?.type !== 'none') return { type: 'any' };
  return { type: 'tool', name: jsonName };
}

function applyParallelAndThinking(
  choice: AnthropicToolChoice | undefined,
  request: CanonicalRequest,
  thinking: boolean,
  warnings: Warnings,
): AnthropicToolChoice | undefined {
  let out = choice;
  if (thinking && (out?.type === 'any' || out?.type === 'tool')) {
    warnings.add('tool_choice: Anthropic cannot force tool use while extended thinking is on; sent as auto');
    out = { type: 'auto' };
  }
  if (request.parallelToolCalls === false) {
    if (out === undefined) out = { type: 'auto', disable_parallel_tool_use: true };
    else if (out.type !== 'none') out = { ...out, disable_parallel_tool_use: true };
  }
  return out;
}

export function convertTools(
  request: CanonicalRequest,
  thinking: boolean,
  warnings: Warnings,
): AnthropicToolFields {
  const tools = (request.tools ?? []).map((tool) => convertTool(tool, warnings));
  const jsonName = jsonToolName(request);
  if (jsonName !== undefined) tools.push(buildJsonTool(request, jsonName));
  if (tools.length === 0) {
    const choice = request.toolChoice?.type;
    if (choice === 'required' || choice === 'tool') warnings.add('tool_choice: no tools were given; ignored');
    return {};
  }
  const choice =
    jsonName !== undefined
      ? chooseWithJsonTool(request, jsonName)
      : request.toolChoice && mapToolChoice(request.toolChoice);
  const toolChoice = applyParallelAndThinking(choice, request, thinking, warnings);
  return toolChoice === undefined ? { tools } : { tools, tool_choice: toolChoice };
}
