// Replies in OpenAI Chat Completions' real wire format (see shared/protocols/openai-chat.md).
import { type ScriptedReply, sse } from './fake-server.ts';

const HEAD = { object: 'chat.completion.chunk', created: 1727346182, system_fingerprint: 'fp_143bb8492c' };

export function openAICompletion(options: {
  id?: string;
  model?: string;
  content?: string | null;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  finishReason?: string;
  usage?: { prompt: number; completion: number; cached?: number; reasoning?: number };
  extra?: Record<string, unknown>;
}): ScriptedReply {
  const usage = options.usage ?? { prompt: 16, completion: 4 };
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: options.content === undefined ? 'Hello there!' : options.content,
    refusal: null,
    annotations: [],
  };
  if (options.toolCalls) {
    message.tool_calls = options.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    status: 200,
    headers: { 'x-request-id': 'req_upstream_1' },
    body: {
      id: options.id ?? 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      object: 'chat.completion',
      created: 1770933883,
      model: options.model ?? 'gpt-4.1-nano-2025-04-14',
      choices: [
        {
          index: 0,
          message,
          logprobs: null,
          finish_reason: options.finishReason ?? (options.toolCalls ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        total_tokens: usage.prompt + usage.completion,
        prompt_tokens_details: { cached_tokens: usage.cached ?? 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: usage.reasoning ?? 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_143bb8492c',
      ...options.extra,
    },
  };
}

type Chunk = Record<string, unknown>;

/** A streamed text answer: role chunk, content pieces, finish chunk, optional usage chunk, [DONE]. */
export function openAITextStreamChunks(options: {
  pieces: string[];
  model?: string;
  includeUsage: boolean;
  usage?: { prompt: number; completion: number };
  finishReason?: string;
}): string[] {
  const model = options.model ?? 'gpt-4o-2024-08-06';
  const id = 'chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62';
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (delta: Chunk, finish: string | null = null): Chunk => ({
    id,
    ...HEAD,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageField,
  });
  const events: Array<{ data: unknown }> = [
    { data: chunk({ role: 'assistant', content: '', refusal: null }) },
    ...options.pieces.map((piece) => ({ data: chunk({ content: piece }) })),
    { data: chunk({}, options.finishReason ?? 'stop') },
  ];
  if (options.includeUsage) {
    const usage = options.usage ?? { prompt: 12, completion: options.pieces.length };
    events.push({
      data: {
        id,
        ...HEAD,
        model,
        choices: [],
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
    });
  }
  events.push({ data: '[DONE]' });
  return sse(events);
}

/** Streamed tool calls the way OpenAI sends them: first fragment with id/name, then argument pieces. */
export function openAIToolStreamChunks(options: {
  calls: Array<{ id: string; name: string; argumentPieces: string[] }>;
  includeUsage: boolean;
}): string[] {
  const id = 'chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62';
  const model = 'gpt-4o-2024-08-06';
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (delta: Chunk, finish: string | null = null): Chunk => ({
    id,
    ...HEAD,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageField,
  });
  const events: Array<{ data: unknown }> = [];
  options.calls.forEach((call, index) => {
    const first = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
    events.push({
      data: chunk(
        index === 0
          ? { role: 'assistant', content: null, tool_calls: [first], refusal: null }
          : { tool_calls: [first] },
      ),
    });
    for (const piece of call.argumentPieces) {
      events.push({ data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }) });
    }
  });
  events.push({ data: chunk({}, 'tool_calls') });
  if (options.includeUsage) {
    events.push({
      data: {
        id,
        ...HEAD,
        model,
        choices: [],
        usage: {
          prompt_tokens: 44,
          completion_tokens: 16,
          total_tokens: 60,
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
    });
  }
  events.push({ data: '[DONE]' });
  return sse(events);
}

export function openAIError(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): ScriptedReply {
  return { status, body: { error: { message, type, param, code } } };
}
