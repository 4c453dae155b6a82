// Canonical reasoning settings → Anthropic extended thinking (`thinking.budget_tokens`).
import type { Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ReasoningEffort, ReasoningSettings } from '../../core/canonical.ts';
import { jsonToolName } from './json-tool.ts';
import type { AnthropicMessage } from './wire-types.ts';

export const MIN_THINKING_BUDGET = 1_024;

/**
 * Effort → thinking budget. `none` turns thinking off; an explicit `budgetTokens` wins over effort
 * (0 or less turns thinking off, below 1024 is raised to Anthropic's minimum).
 */
export const THINKING_BUDGET_BY_EFFORT: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1_024,
  low: 2_048,
  medium: 8_192,
  high: 16_384,
};

export function requestedThinkingBudget(
  reasoning: ReasoningSettings | undefined,
  warnings: Warnings,
): number | undefined {
  if (!reasoning) return undefined;
  if (reasoning.budgetTokens !== undefined) {
    if (reasoning.budgetTokens <= 0) return undefined;
    if (reasoning.budgetTokens < MIN_THINKING_BUDGET) {
      warnings.add(`reasoning.budget_tokens: Anthropic needs at least ${MIN_THINKING_BUDGET}; raised`);
      return MIN_THINKING_BUDGET;
    }
    return Math.floor(reasoning.budgetTokens);
  }
  if (reasoning.effort === undefined || reasoning.effort === 'none') return undefined;
  return THINKING_BUDGET_BY_EFFORT[reasoning.effort];
}

/**
 * `budget_tokens` must stay below `max_tokens` (which includes thinking). A budget that does not
 * fit is halved against max_tokens; when even that is under the minimum, thinking is turned off.
 */
export function fitThinkingBudget(
  budget: number | undefined,
  maxTokens: number,
  warnings: Warnings,
): number | undefined {
  if (budget === undefined || budget < maxTokens) return budget;
  const fitted = Math.floor(maxTokens / 2);
  if (fitted < MIN_THINKING_BUDGET) {
    warnings.add(
      `reasoning: max_tokens ${maxTokens} leaves no room for a thinking budget; thinking disabled`,
    );
    return undefined;
  }
  warnings.add(
    `reasoning: thinking budget lowered from ${budget} to ${fitted} to stay below max_tokens ${maxTokens}`,
  );
  return fitted;
}

/** The thinking budget to send, after every rule that can lower it or turn thinking off. */
export function resolveThinkingBudget(
  request: CanonicalRequest,
  messages: AnthropicMessage[],
  maxTokens: number,
  warnings: Warnings,
): number | undefined {
  const budget = requestedThinkingBudget(request.reasoning, warnings);
  if (budget === undefined) return undefined;
  if (jsonToolName(request) !== undefined) {
    warnings.add(
      'reasoning: Anthropic cannot think while a tool is forced for JSON output; thinking disabled',
    );
    return undefined;
  }
  if (lastToolTurnLacksThinking(messages)) {
    warnings.add(
      'reasoning: the last assistant tool call has no Anthropic thinking block to send back; thinking disabled',
    );
    return undefined;
  }
  return fitThinkingBudget(budget, maxTokens, warnings);
}

/**
 * With thinking on, Anthropic requires the last assistant turn, when it calls tools, to start
 * with its thinking block. Histories from other protocols often lack it; thinking then has to go.
 */
export function lastToolTurnLacksThinking(messages: AnthropicMessage[]): boolean {
  const last = messages.findLast((message) => message.role === 'assistant');
  if (!last?.content.some((block) => block.type === 'tool_use')) return false;
  const first = last.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}
