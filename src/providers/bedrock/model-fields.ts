import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ReasoningSettings } from '../../core/canonical.ts';
import type { BedrockInferenceConfig } from './wire-types.ts';

// Model-native parameters go in `additionalModelRequestFields`, whose keys depend on the model family.
// Only Anthropic (Claude) models are mapped: `top_k`, and `thinking: {type:'enabled', budget_tokens}` for
// reasoning. Other families get a warning instead.

const EFFORT_BUDGET = { minimal: 1024, low: 1024, medium: 2048, high: 4096 } as const;
/** Answer tokens added on top of the thinking budget when the request sets no maxOutputTokens. */
export const THINKING_ANSWER_TOKENS = 4096;

/** Claude on Bedrock: `anthropic.claude-…`, `us.anthropic.claude-…`, or an ARN naming one. */
export function isAnthropicModel(modelId: string): boolean {
  return /anthropic\.|claude/i.test(modelId);
}

export function thinkingBudget(reasoning: ReasoningSettings | undefined): number | undefined {
  if (!reasoning || reasoning.effort === 'none') return undefined;
  if (reasoning.budgetTokens !== undefined)
    return reasoning.budgetTokens > 0 ? reasoning.budgetTokens : undefined;
  return reasoning.effort ? EFFORT_BUDGET[reasoning.effort] : undefined;
}

/**
 * `additionalModelRequestFields` for the model, or undefined. May adjust `inference`: extended thinking
 * needs maxTokens above the budget and rejects a non-default temperature.
 */
export function additionalModelFields(
  request: CanonicalRequest,
  modelId: string,
  inference: BedrockInferenceConfig,
  warnings: Warnings,
): Record<string, unknown> | undefined {
  const budget = thinkingBudget(request.reasoning);
  if (!isAnthropicModel(modelId)) {
    if (request.topK !== undefined)
      warnings.add('topK: only mapped for Anthropic models on Bedrock; ignored');
    if (budget !== undefined) warnings.add('reasoning: only mapped for Anthropic models on Bedrock; ignored');
    return undefined;
  }
  if (budget === undefined) return request.topK === undefined ? undefined : { top_k: request.topK };
  if (request.topK !== undefined)
    warnings.add('topK: Anthropic models reject top_k with extended thinking; ignored');
  if (inference.temperature !== undefined && inference.temperature !== 1) {
    warnings.add('temperature: Anthropic models only accept temperature 1 with extended thinking; ignored');
    delete inference.temperature;
  }
  if (inference.maxTokens === undefined) inference.maxTokens = budget + THINKING_ANSWER_TOKENS;
  else if (inference.maxTokens <= budget) {
    warnings.add(
      'maxOutputTokens: raised by the thinking budget, as Anthropic needs maxTokens above budget_tokens',
    );
    inference.maxTokens += budget;
  }
  return { thinking: { type: 'enabled', budget_tokens: budget } };
}
