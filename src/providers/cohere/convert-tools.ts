// Canonical tools and tool choice → Cohere v2 `tools` / `tool_choice`.
import type { Warnings } from '../../core/adapters.ts';
import type { ToolChoice, ToolDefinition } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { CohereV2Tool } from './wire-types.ts';

export interface CohereTools {
  tools?: CohereV2Tool[];
  tool_choice?: 'REQUIRED' | 'NONE';
}

/**
 * Cohere's tool_choice is only REQUIRED or NONE (omitted = auto). A named tool is forced by sending
 * REQUIRED with that tool alone, which is the same contract with a smaller tool list.
 */
export function convertTools(
  tools: readonly ToolDefinition[] | undefined,
  choice: ToolChoice | undefined,
  warnings: Warnings,
): CohereTools {
  if (!tools || tools.length === 0) {
    if (choice && choice.type !== 'auto' && choice.type !== 'none') {
      throw new GatewayError('invalid_request', `tool_choice '${choice.type}' needs tools`, {
        param: 'tool_choice',
      });
    }
    return {};
  }
  let selected = tools;
  let toolChoice: CohereTools['tool_choice'];
  if (choice?.type === 'required') toolChoice = 'REQUIRED';
  else if (choice?.type === 'none') toolChoice = 'NONE';
  else if (choice?.type === 'tool') {
    selected = tools.filter((tool) => tool.name === choice.name);
    if (selected.length === 0) {
      throw new GatewayError(
        'invalid_request',
        `tool_choice names '${choice.name}', which is not among the tools`,
        {
          param: 'tool_choice',
        },
      );
    }
    toolChoice = 'REQUIRED';
    warnings.add('tool_choice: Cohere cannot force a named tool; sent REQUIRED with only that tool');
  }
  if (selected.some((tool) => tool.strict)) {
    warnings.add('tools[].strict: not sent to Cohere; arguments are not schema-enforced');
  }
  const out: CohereTools = { tools: selected.map(convertTool) };
  if (toolChoice) out.tool_choice = toolChoice;
  return out;
}

function convertTool(tool: ToolDefinition): CohereV2Tool {
  const fn: CohereV2Tool['function'] = {
    name: tool.name,
    parameters: tool.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.description !== undefined) fn.description = tool.description;
  return { type: 'function', function: fn };
}
