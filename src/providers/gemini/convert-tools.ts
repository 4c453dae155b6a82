// Canonical tools and tool choice → Gemini `tools` and `toolConfig.functionCallingConfig`.
import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { cleanParametersSchema } from './clean-schema.ts';
import type { GeminiFunctionDeclaration, GeminiGenerateContentRequest } from './wire-types.ts';

type ToolFields = Pick<GeminiGenerateContentRequest, 'tools' | 'toolConfig'>;

export function convertTools(request: CanonicalRequest, warnings: Warnings): ToolFields {
  const out: ToolFields = {};
  if (request.parallelToolCalls === false) {
    warnings.add('parallel_tool_calls: Gemini cannot disable parallel function calls, ignored');
  }
  if (request.tools && request.tools.length > 0) {
    out.tools = [{ functionDeclarations: request.tools.map((tool) => declare(tool, warnings)) }];
  }
  const choice = request.toolChoice;
  if (!choice) return out;
  if (!out.tools) {
    if (choice.type !== 'none' && choice.type !== 'auto')
      warnings.add('tool_choice: no tools given, ignored');
    return out;
  }
  switch (choice.type) {
    case 'auto':
      out.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
      break;
    case 'none':
      out.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
      break;
    case 'required':
      out.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
      break;
    case 'tool':
      out.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
      break;
  }
  return out;
}

function declare(
  tool: NonNullable<CanonicalRequest['tools']>[number],
  warnings: Warnings,
): GeminiFunctionDeclaration {
  if (tool.strict) warnings.add('tool strict: Gemini has no strict schema mode, ignored');
  const declaration: GeminiFunctionDeclaration = { name: tool.name };
  if (tool.description) declaration.description = tool.description;
  const parameters = cleanParametersSchema(tool.parameters);
  if (parameters) declaration.parameters = parameters;
  return declaration;
}
