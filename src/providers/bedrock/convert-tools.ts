import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ToolChoice, ToolDefinition } from '../../core/canonical.ts';
import { historyHasToolBlocks, toolNamesInHistory } from './convert-messages.ts';
import type { BedrockMessage, BedrockToolChoice, BedrockToolConfig, BedrockToolSpec } from './wire-types.ts';

const JSON_TOOL_NAME = 'json';
const JSON_TOOL_DESCRIPTION = 'Respond with a JSON object.';

/**
 * Bedrock has no JSON mode: a JSON response format becomes a forced tool whose input is the answer.
 * Returns that tool's name (deterministic from the request, so replies can be unwrapped), or undefined.
 */
export function jsonToolName(request: CanonicalRequest): string | undefined {
  const format = request.responseFormat?.type;
  if (format !== 'json' && format !== 'json-schema') return undefined;
  const taken = new Set((request.tools ?? []).map((tool) => tool.name));
  let name = JSON_TOOL_NAME;
  for (let n = 2; taken.has(name); n++) name = `${JSON_TOOL_NAME}_response_${n}`;
  return name;
}

function jsonToolSpec(request: CanonicalRequest, name: string, warnings: Warnings): BedrockToolSpec {
  const format = request.responseFormat;
  if (format?.type !== 'json-schema') {
    return {
      toolSpec: { name, description: JSON_TOOL_DESCRIPTION, inputSchema: { json: { type: 'object' } } },
    };
  }
  if (format.strict)
    warnings.add('responseFormat.strict: Bedrock cannot enforce a schema strictly; sent as a forced tool');
  return {
    toolSpec: {
      name,
      description: format.description ?? JSON_TOOL_DESCRIPTION,
      inputSchema: { json: format.schema },
    },
  };
}

function toolSpec(tool: ToolDefinition, warnings: Warnings): BedrockToolSpec {
  if (tool.strict) warnings.add('tools.strict: Bedrock has no strict tool schemas; ignored');
  const spec: BedrockToolSpec['toolSpec'] = {
    name: tool.name,
    inputSchema: { json: tool.parameters ?? { type: 'object', properties: {} } },
  };
  if (tool.description !== undefined) spec.description = tool.description;
  return { toolSpec: spec };
}

function mapToolChoice(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  if (choice?.type === 'auto') return { auto: {} };
  if (choice?.type === 'required') return { any: {} };
  if (choice?.type === 'tool') return { tool: { name: choice.name } };
  return undefined;
}

function withChoice(tools: BedrockToolSpec[], choice: BedrockToolChoice | undefined): BedrockToolConfig {
  return choice ? { tools, toolChoice: choice } : { tools };
}

/**
 * `toolConfig` for a request. Tool choice `none` has no Bedrock value: tools are left out, unless the
 * history holds tool blocks (Bedrock then requires `toolConfig`), in which case they stay declared.
 */
export function buildToolConfig(
  request: CanonicalRequest,
  history: BedrockMessage[],
  warnings: Warnings,
): BedrockToolConfig | undefined {
  const none = request.toolChoice?.type === 'none';
  const declared = none ? [] : (request.tools ?? []).map((tool) => toolSpec(tool, warnings));
  if (request.parallelToolCalls === false && declared.length > 0) {
    warnings.add('parallelToolCalls: Bedrock Converse cannot disable parallel tool calls; ignored');
  }
  const jsonName = jsonToolName(request);
  if (jsonName) {
    const tools = [...declared, jsonToolSpec(request, jsonName, warnings)];
    if (declared.length === 0) return { tools, toolChoice: { tool: { name: jsonName } } };
    // the model answers either by calling one of the client's tools or through the JSON tool
    const forced = request.toolChoice?.type === 'tool' ? mapToolChoice(request.toolChoice) : undefined;
    return { tools, toolChoice: forced ?? { any: {} } };
  }
  if (declared.length > 0) return withChoice(declared, mapToolChoice(request.toolChoice));
  if (!historyHasToolBlocks(history)) return undefined;
  return historyOnlyToolConfig(request, history, warnings);
}

/** The history has tool blocks but no tool may be called now: Bedrock still needs tools declared. */
function historyOnlyToolConfig(
  request: CanonicalRequest,
  history: BedrockMessage[],
  warnings: Warnings,
): BedrockToolConfig | undefined {
  if (request.toolChoice?.type === 'none' && request.tools?.length) {
    warnings.add(
      'toolChoice: Bedrock has no "none"; tools stay declared because the conversation has tool calls, so the model may still call one',
    );
    return { tools: request.tools.map((tool) => toolSpec(tool, warnings)) };
  }
  const names = toolNamesInHistory(history);
  if (names.length === 0) return undefined;
  warnings.add(
    `tools: the conversation has tool calls but no tools were declared; Bedrock requires them, so placeholders were declared for ${names.join(', ')}`,
  );
  const tools = names.map((name) => ({
    toolSpec: {
      name,
      description: 'Tool used earlier in this conversation.',
      inputSchema: { json: { type: 'object' } },
    },
  }));
  return { tools };
}
