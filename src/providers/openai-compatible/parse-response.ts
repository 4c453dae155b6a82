import type { CanonicalResponse } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import { mapUsage } from '../../wire/openai-chat-usage.ts';
import { mapFinishReason } from './map-finish-reason.ts';

interface ChatMessage {
  content?: string | null | Array<{ type?: string; text?: string }>;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

/** OpenAI chat completion → canonical response (first choice). */
export function parseResponse(body: unknown): CanonicalResponse {
  const completion = body as {
    id?: string;
    model?: string;
    created?: number;
    choices?: Array<{ message?: ChatMessage; finish_reason?: string | null }>;
    usage?: unknown;
  };
  const choice = completion?.choices?.[0];
  if (!choice?.message) {
    throw new GatewayError('upstream_error', 'Upstream returned a completion without choices');
  }
  const message = choice.message;
  const content: CanonicalResponse['content'] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (reasoning) content.push({ type: 'reasoning', text: reasoning });
  const text = Array.isArray(message.content)
    ? message.content.map((part) => part.text ?? '').join('')
    : message.content;
  if (text) content.push({ type: 'text', text });
  message.tool_calls?.forEach((call, position) => {
    content.push({
      type: 'tool-call',
      id: call.id || `call_${position}`,
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    });
  });
  const finish = choice.finish_reason ?? undefined;
  return {
    id: completion.id ?? '',
    model: completion.model ?? '',
    created: completion.created,
    content,
    finishReason: mapFinishReason(finish),
    rawFinishReason: finish,
    usage: mapUsage(completion.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
}
