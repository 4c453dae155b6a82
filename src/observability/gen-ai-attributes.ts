// OpenTelemetry GenAI semantic-convention names, as in @opentelemetry/semantic-conventions 1.45 (incubating).
// Written out rather than imported: the incubating entry point is not meant to be a runtime dependency.
import type { Attributes } from '@opentelemetry/api';
import type { Usage } from '../core/canonical.ts';

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
} as const;

/** Our provider ids that have a well-known `gen_ai.provider.name` value; others keep their id. */
const PROVIDER_NAMES: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  mistral: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  'cohere-compat': 'cohere',
};

export function genAiProviderName(providerId: string): string {
  return PROVIDER_NAMES[providerId] ?? providerId;
}

/** `gen_ai.operation.name` from the endpoint path the client called. */
export function genAiOperation(endpoint: string): string {
  if (endpoint.endsWith('/embeddings')) return 'embeddings';
  if (endpoint.endsWith('/completions') && !endpoint.endsWith('/chat/completions')) return 'text_completion';
  return 'chat';
}

/** Canonical usage already counts cache tokens inside input and reasoning inside output, as semconv asks. */
export function usageAttributes(attributes: Attributes, usage: Usage | undefined): void {
  if (!usage) return;
  attributes[GEN_AI.inputTokens] = usage.inputTokens;
  attributes[GEN_AI.outputTokens] = usage.outputTokens;
  if (usage.cacheReadTokens !== undefined) attributes[GEN_AI.cacheReadTokens] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) attributes[GEN_AI.cacheCreationTokens] = usage.cacheWriteTokens;
  if (usage.reasoningTokens !== undefined) attributes[GEN_AI.reasoningTokens] = usage.reasoningTokens;
}
