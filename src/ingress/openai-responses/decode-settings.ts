import type {
  ReasoningEffort,
  ReasoningSettings,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/canonical.ts';
import { invalid, isObject, type Json, requireString } from './json.ts';

const EFFORTS = new Set<string>(['none', 'minimal', 'low', 'medium', 'high']);
const SUMMARIES = new Set(['auto', 'concise', 'detailed']);

/** Function tools become canonical tools; built-in tools (web_search, mcp, ...) are kept in `extra.tools`. */
export function decodeTools(raw: unknown, extra: Json): ToolDefinition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalid("'tools' must be an array", 'tools');
  const tools: ToolDefinition[] = [];
  const builtIn: Json[] = [];
  raw.forEach((tool, index) => {
    const path = `tools[${index}]`;
    if (!isObject(tool) || typeof tool.type !== 'string')
      throw invalid(`'${path}.type' must be a string`, `${path}.type`);
    if (tool.type !== 'function') {
      builtIn.push(tool);
      return;
    }
    const definition: ToolDefinition = { name: requireString(tool.name, `${path}.name`) };
    if (typeof tool.description === 'string') definition.description = tool.description;
    if (isObject(tool.parameters)) definition.parameters = tool.parameters;
    if (typeof tool.strict === 'boolean') definition.strict = tool.strict;
    tools.push(definition);
  });
  if (builtIn.length > 0) extra.tools = builtIn;
  return tools.length > 0 ? tools : undefined;
}

/** auto / none / required / {type:'function', name}; other choices (allowed_tools, built-ins) go to `extra`. */
export function decodeToolChoice(raw: unknown, extra: Json): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw };
  if (isObject(raw) && raw.type === 'function') {
    return { type: 'tool', name: requireString(raw.name, 'tool_choice.name') };
  }
  if (isObject(raw) && typeof raw.type === 'string') {
    extra.tool_choice = raw;
    return undefined;
  }
  throw invalid("'tool_choice' must be auto, none, required or a tool choice object", 'tool_choice');
}

/** `text.format` → response format; `text.verbosity` (no canonical home) → `extra.text`. */
export function decodeTextConfig(raw: unknown, extra: Json): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw invalid("'text' must be an object", 'text');
  const { format, ...rest } = raw;
  if (Object.keys(rest).length > 0) extra.text = rest;
  if (format === undefined || format === null) return undefined;
  if (!isObject(format)) throw invalid("'text.format' must be an object", 'text.format');
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type !== 'json_schema') {
    throw invalid(`Unsupported text.format type '${String(format.type)}'`, 'text.format.type');
  }
  if (!isObject(format.schema)) throw invalid("'text.format.schema' must be an object", 'text.format.schema');
  const schema: ResponseFormat = {
    type: 'json-schema',
    name: requireString(format.name, 'text.format.name'),
    schema: format.schema,
  };
  if (typeof format.description === 'string') schema.description = format.description;
  if (typeof format.strict === 'boolean') schema.strict = format.strict;
  return schema;
}

/**
 * `reasoning.effort` → effort (efforts the canonical form lacks stay in `extra.reasoning`; `xhigh` also
 * asks for `high` elsewhere);
 * any `reasoning.summary` → includeThoughts; a summary style other than `auto` stays in `extra.reasoning`.
 */
export function decodeReasoning(raw: unknown, extra: Json): ReasoningSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw invalid("'reasoning' must be an object", 'reasoning');
  const settings: ReasoningSettings = {};
  const kept: Json = {};
  const { effort, summary } = raw;
  if (typeof effort === 'string') {
    if (EFFORTS.has(effort)) settings.effort = effort as ReasoningEffort;
    else kept.effort = effort;
    if (effort === 'xhigh') settings.effort = 'high';
  } else if (effort !== undefined && effort !== null) {
    throw invalid("'reasoning.effort' must be a string", 'reasoning.effort');
  }
  if (typeof summary === 'string') {
    if (!SUMMARIES.has(summary))
      throw invalid(`Unsupported reasoning.summary '${summary}'`, 'reasoning.summary');
    settings.includeThoughts = true;
    if (summary !== 'auto') kept.summary = summary;
  }
  if (Object.keys(kept).length > 0) extra.reasoning = kept;
  return Object.keys(settings).length > 0 ? settings : undefined;
}
