// Sampling parameters, stop sequences, metadata and the fields Anthropic cannot honour.
import type { Deployment, Warnings } from '../../core/adapters.ts';
import type { CanonicalRequest } from '../../core/canonical.ts';
import { maxOutputTokensForModel } from './model-limits.ts';
import type { AnthropicMessagesBody } from './wire-types.ts';

export function resolveMaxTokens(request: CanonicalRequest, deployment: Deployment): number {
  return request.maxOutputTokens ?? deployment.maxOutputTokens ?? maxOutputTokensForModel(deployment.model);
}

type SamplingFields = Pick<AnthropicMessagesBody, 'temperature' | 'top_p' | 'top_k'>;

export function convertSampling(
  request: CanonicalRequest,
  thinking: boolean,
  warnings: Warnings,
): SamplingFields {
  const out: SamplingFields = {};
  const { temperature, topP, topK } = request;
  if (temperature !== undefined) {
    if (thinking) {
      if (temperature !== 1)
        warnings.add('temperature: not allowed with Anthropic extended thinking; ignored');
    } else if (temperature > 1) {
      warnings.add(`temperature: Anthropic accepts 0 to 1; ${temperature} was sent as 1`);
      out.temperature = 1;
    } else {
      out.temperature = temperature;
    }
  }
  if (topP !== undefined) {
    if (thinking && topP < 0.95)
      warnings.add('top_p: Anthropic extended thinking needs top_p of 0.95 or more; ignored');
    else out.top_p = topP;
  }
  if (topK !== undefined) {
    if (thinking) warnings.add('top_k: not allowed with Anthropic extended thinking; ignored');
    else out.top_k = topK;
  }
  return out;
}

export function convertMetadata(
  request: CanonicalRequest,
  warnings: Warnings,
): AnthropicMessagesBody['metadata'] {
  const { user_id: metadataUser, ...rest } = request.metadata ?? {};
  const others = Object.keys(rest);
  if (others.length > 0) {
    warnings.add(`metadata: Anthropic accepts only user_id; ${others.join(', ')} ignored`);
  }
  const userId = request.user ?? metadataUser;
  return userId === undefined ? undefined : { user_id: userId };
}

/** Canonical fields and client-protocol extras with no Anthropic equivalent. */
export function warnUnsupported(request: CanonicalRequest, warnings: Warnings): void {
  if (request.seed !== undefined) warnings.add('seed: not supported by Anthropic; ignored');
  if (request.frequencyPenalty !== undefined) {
    warnings.add('frequency_penalty: not supported by Anthropic; ignored');
  }
  if (request.presencePenalty !== undefined)
    warnings.add('presence_penalty: not supported by Anthropic; ignored');
  if (request.n !== undefined && request.n > 1) {
    warnings.add(`n: Anthropic returns a single choice; n=${request.n} ignored`);
  }
  for (const key of Object.keys(request.extra ?? {})) {
    warnings.add(`${key}: not supported by Anthropic Messages; ignored`);
  }
}
