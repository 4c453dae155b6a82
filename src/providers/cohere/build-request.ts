// Canonical request → POST {baseUrl}/v2/chat.
import type { BuildContext, UpstreamRequest, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest, ReasoningSettings, ResponseFormat } from '../../core/canonical.ts';
import { convertMessages } from './convert-messages.ts';
import { convertTools } from './convert-tools.ts';
import type { CohereV2ChatRequest } from './wire-types.ts';

/** Thinking budget per effort when the client gives an effort but no budget (the mapping.md table). */
const BUDGET_BY_EFFORT = { minimal: 512, low: 1024, medium: 2048, high: 4096 } as const;

export function buildRequest(request: CanonicalRequest, context: BuildContext): UpstreamRequest {
  const { provider, deployment } = context.target;
  const body = buildBody(request, deployment.model, context.warnings);
  const headers: Record<string, string> = {
    ...provider.headers,
    'content-type': 'application/json',
    accept: request.stream ? 'text/event-stream' : 'application/json',
  };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return { method: 'POST', url: `${provider.baseUrl}/v2/chat`, headers, body: JSON.stringify(body) };
}

export function buildBody(request: CanonicalRequest, model: string, warnings: Warnings): CohereV2ChatRequest {
  const body: CohereV2ChatRequest = {
    model,
    messages: convertMessages(request.messages, warnings),
    ...convertTools(request.tools, request.toolChoice, warnings),
    stream: request.stream,
  };
  const responseFormat = convertResponseFormat(request.responseFormat);
  if (responseFormat) body.response_format = responseFormat;
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = request.topP;
  if (request.topK !== undefined) body.k = request.topK;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.reasoning) body.thinking = convertReasoning(request.reasoning, warnings);
  warnUnsupported(request, warnings);
  return body;
}

function convertResponseFormat(format: ResponseFormat | undefined): CohereV2ChatRequest['response_format'] {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json') return { type: 'json_object' };
  return { type: 'json_object', json_schema: format.schema };
}

function convertReasoning(
  reasoning: ReasoningSettings,
  warnings: Warnings,
): NonNullable<CohereV2ChatRequest['thinking']> {
  if (reasoning.includeThoughts === false) {
    warnings.add('reasoning.include_thoughts: Cohere always returns its thinking text');
  }
  if (reasoning.effort === 'none') return { type: 'disabled' };
  if (reasoning.budgetTokens !== undefined) return { type: 'enabled', token_budget: reasoning.budgetTokens };
  if (reasoning.effort !== undefined)
    return { type: 'enabled', token_budget: BUDGET_BY_EFFORT[reasoning.effort] };
  return { type: 'enabled' };
}

function warnUnsupported(request: CanonicalRequest, warnings: Warnings): void {
  if (request.parallelToolCalls === false) {
    warnings.add('parallel_tool_calls: Cohere cannot disable parallel tool calls; ignored');
  }
  if (request.n !== undefined && request.n > 1)
    warnings.add('n: Cohere returns one choice; only one is returned');
  if (request.user !== undefined) warnings.add('user: not supported by Cohere, dropped');
  if (request.metadata !== undefined) warnings.add('metadata: not supported by Cohere, dropped');
  for (const field of Object.keys(request.extra)) warnings.add(`${field}: not supported by Cohere, dropped`);
}
