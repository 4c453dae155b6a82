import type {
  CanonicalRequest,
  ReasoningEffort,
  ReasoningSettings,
  ResponseFormat,
} from '../../core/canonical.ts';
import { openApiToJsonSchema } from './convert-schema.ts';
import {
  invalid,
  isObject,
  type JsonObject,
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalObject,
  optionalString,
  otherFields,
} from './read-field.ts';

export type GenerationSettings = Pick<
  CanonicalRequest,
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'maxOutputTokens'
  | 'stop'
  | 'seed'
  | 'n'
  | 'presencePenalty'
  | 'frequencyPenalty'
  | 'responseFormat'
  | 'reasoning'
>;

export interface DecodedGenerationConfig {
  settings: GenerationSettings;
  /** generationConfig fields with no canonical home, camelCased */
  rest?: JsonObject;
}

const NUMBERS = [
  ['temperature', 'temperature'],
  ['topP', 'topP'],
  ['topK', 'topK'],
  ['maxOutputTokens', 'maxOutputTokens'],
  ['seed', 'seed'],
  ['candidateCount', 'n'],
  ['presencePenalty', 'presencePenalty'],
  ['frequencyPenalty', 'frequencyPenalty'],
] as const;

const KNOWN = new Set<string>([
  ...NUMBERS.map(([name]) => name),
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
]);

export function decodeGenerationConfig(value: unknown): DecodedGenerationConfig {
  if (value === undefined || value === null) return { settings: {} };
  if (!isObject(value)) throw invalid('generationConfig must be an object');
  const where = 'generationConfig';
  const settings: GenerationSettings = {};
  for (const [name, canonical] of NUMBERS) {
    const number = optionalNumber(value, name, where);
    if (number !== undefined) settings[canonical] = number;
  }
  const stop = optionalArray(value, 'stopSequences', where);
  if (stop) settings.stop = stop.map((s, i) => stringAt(s, `${where}.stopSequences[${i}]`));
  const rest = otherFields(value, KNOWN);
  const format = decodeResponseFormat(value, rest);
  if (format) settings.responseFormat = format;
  const thinking = optionalObject(value, 'thinkingConfig', where);
  if (thinking) {
    const decoded = decodeThinkingConfig(thinking);
    if (decoded.reasoning) settings.reasoning = decoded.reasoning;
    if (decoded.rest) rest.thinkingConfig = decoded.rest;
  }
  return Object.keys(rest).length > 0 ? { settings, rest } : { settings };
}

function stringAt(value: unknown, where: string): string {
  if (typeof value !== 'string') throw invalid(`${where} must be a string`);
  return value;
}

/** application/json (+ schema) maps to canonical formats; other MIME types stay in `rest` for Gemini targets. */
function decodeResponseFormat(config: JsonObject, rest: JsonObject): ResponseFormat | undefined {
  const where = 'generationConfig';
  const mimeType = optionalString(config, 'responseMimeType', where);
  const jsonSchema = optionalObject(config, 'responseJsonSchema', where);
  const openApi = optionalObject(config, 'responseSchema', where);
  if (mimeType === 'application/json') {
    if (jsonSchema) return { type: 'json-schema', name: 'response', schema: jsonSchema };
    if (openApi) return { type: 'json-schema', name: 'response', schema: openApiToJsonSchema(openApi) };
    return { type: 'json' };
  }
  if (mimeType !== undefined) rest.responseMimeType = mimeType;
  if (jsonSchema) rest.responseJsonSchema = jsonSchema;
  if (openApi) rest.responseSchema = openApi;
  return mimeType === 'text/plain' && !jsonSchema && !openApi ? { type: 'text' } : undefined;
}

const LEVELS: Record<string, ReasoningEffort> = {
  MINIMAL: 'minimal',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
};

/**
 * thinkingBudget: 0 turns thinking off (effort `none`), -1 asks for the model's dynamic default (no setting),
 * a positive number is a token budget. thinkingLevel maps onto effort.
 */
function decodeThinkingConfig(config: JsonObject): { reasoning?: ReasoningSettings; rest?: JsonObject } {
  const where = 'generationConfig.thinkingConfig';
  const reasoning: ReasoningSettings = {};
  const budget = optionalNumber(config, 'thinkingBudget', where);
  if (budget === 0) reasoning.effort = 'none';
  else if (budget !== undefined && budget > 0) reasoning.budgetTokens = budget;
  else if (budget !== undefined && budget !== -1)
    throw invalid(`${where}.thinkingBudget must be -1, 0 or positive`);
  const level = optionalString(config, 'thinkingLevel', where)?.toUpperCase();
  if (level !== undefined && level !== 'THINKING_LEVEL_UNSPECIFIED') {
    const effort = LEVELS[level];
    if (!effort)
      throw invalid(`${where}.thinkingLevel must be MINIMAL, LOW, MEDIUM or HIGH (got "${level}")`);
    reasoning.effort = effort;
  }
  const include = optionalBoolean(config, 'includeThoughts', where);
  if (include !== undefined) reasoning.includeThoughts = include;
  const rest = otherFields(config, new Set(['thinkingBudget', 'thinkingLevel', 'includeThoughts']));
  return {
    ...(Object.keys(reasoning).length > 0 ? { reasoning } : {}),
    ...(Object.keys(rest).length > 0 ? { rest } : {}),
  };
}
