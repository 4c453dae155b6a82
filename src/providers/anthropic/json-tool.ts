// JSON mode on Anthropic: a forced tool whose input is the answer. The tool's input is turned back
// into text by parse-response / parse-stream, so callers never see the tool.
import type { CanonicalRequest } from '../../core/canonical.ts';
import type { AnthropicTool } from './wire-types.ts';

export const JSON_TOOL_DEFAULT_NAME = 'json';

function sanitizeToolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
}

/** The forced tool's name for this request, or undefined when no JSON output was asked for. */
export function jsonToolName(request: CanonicalRequest): string | undefined {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return undefined;
  const base =
    format.type === 'json-schema'
      ? sanitizeToolName(format.name) || JSON_TOOL_DEFAULT_NAME
      : JSON_TOOL_DEFAULT_NAME;
  const taken = new Set((request.tools ?? []).map((tool) => tool.name));
  return taken.has(base) ? `${base.slice(0, 57)}_output` : base;
}

export function buildJsonTool(request: CanonicalRequest, name: string): AnthropicTool {
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    return {
      name,
      description: format.description ?? 'Respond with a JSON object that matches this schema.',
      input_schema: format.schema,
    };
  }
  return { name, description: 'Respond with a JSON object.', input_schema: { type: 'object' } };
}
