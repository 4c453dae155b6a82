// The pure Anthropic Messages body builder, shared with Claude on Vertex AI (and Bedrock InvokeModel).
import type { BuildContext } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { convertMessages } from './convert-messages.ts';
import { resolveThinkingBudget } from './convert-reasoning.ts';
import { convertMetadata, convertSampling, resolveMaxTokens, warnUnsupported } from './convert-settings.ts';
import { convertTools } from './convert-tools.ts';
import type { AnthropicMessagesBody } from './wire-types.ts';

/** Canonical request → Anthropic Messages body, without `model` and `stream` (transport details). */
export function buildAnthropicMessagesBody(
  request: CanonicalRequest,
  context: Pick<BuildContext, 'target' | 'warnings'>,
): AnthropicMessagesBody {
  const { warnings } = context;
  const prompt = convertMessages(request.messages, warnings);
  const maxTokens = resolveMaxTokens(request, context.target.deployment);
  const budget = resolveThinkingBudget(request, prompt.messages, maxTokens, warnings);
  const thinking = budget !== undefined;

  const body: AnthropicMessagesBody = { max_tokens: maxTokens, messages: prompt.messages };
  if (prompt.system !== undefined) body.system = prompt.system;
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  Object.assign(
    body,
    convertTools(request, thinking, warnings),
    convertSampling(request, thinking, warnings),
  );
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  const metadata = convertMetadata(request, warnings);
  if (metadata !== undefined) body.metadata = metadata;
  warnUnsupported(request, warnings);
  return body;
}
