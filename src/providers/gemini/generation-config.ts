// Canonical sampling, output and reasoning settings → Gemini `generationConfig`.
import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ReasoningEffort, ReasoningSettings } from '../../core/canonical.ts';
import { cleanSchema } from './clean-schema.ts';
import type { GeminiGenerationConfig, GeminiThinkingConfig } from './wire-types.ts';

/** Gemini accepts at most this many stop sequences. */
const MAX_STOP_SEQUENCES = 5;

/**
 * Reasoning effort → thinkingBudget (tokens). low/medium/high follow Google's own mapping for
 * `reasoning_effort` on Gemini's OpenAI-compatible endpoint; minimal is the smallest budget every
 * 2.5 model accepts; none turns thinking off.
 */
export const THINKING_BUDGET_BY_EFFORT: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

export function buildGenerationConfig(
  request: CanonicalRequest,
  warnings: Warnings,
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) {
    if (request.stop.length > MAX_STOP_SEQUENCES) {
      warnings.add(
        `stop: Gemini accepts at most ${MAX_STOP_SEQUENCES} stop sequences; the rest were dropped`,
      );
    }
    config.stopSequences = request.stop.slice(0, MAX_STOP_SEQUENCES);
  }
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.n !== undefined && request.n !== 1) {
    config.candidateCount = request.n;
    warnings.add('n: Gemini generates the candidates but only the first one is returned');
  }
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  applyResponseFormat(config, request);
  const thinking = request.reasoning ? thinkingConfig(request.reasoning) : undefined;
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

function applyResponseFormat(config: GeminiGenerationConfig, request: CanonicalRequest): void {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return;
  config.responseMimeType = 'application/json';
  if (format.type === 'json-schema') config.responseSchema = cleanSchema(format.schema);
}

/** budgetTokens wins over effort; thoughts are returned whenever thinking is on, unless turned off. */
export function thinkingConfig(reasoning: ReasoningSettings): GeminiThinkingConfig | undefined {
  const budget =
    reasoning.budgetTokens ?? (reasoning.effort ? THINKING_BUDGET_BY_EFFORT[reasoning.effort] : undefined);
  const config: GeminiThinkingConfig = {};
  if (budget !== undefined) config.thinkingBudget = budget;
  if (budget !== 0 && reasoning.includeThoughts !== false) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}
