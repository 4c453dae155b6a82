// OpenAI Chat Completions stream chunks (the real framing: role chunk, deltas, finish chunk, usage chunk
// with empty choices, [DONE]), with the reasoning_content deltas of DeepSeek-style hosts and cached usage.
import { sse } from '../fakes/fake-server.ts';

export interface OpenAIChunkOptions {
  reasoning?: string[];
  pieces?: string[];
  call?: { id: string; name: string; pieces: string[] };
  usage: { prompt: number; completion: number; cached?: number };
}

const HEAD = {
  id: 'chatcmpl-Conformance0000000000000000',
  object: 'chat.completion.chunk',
  created: 1750000000,
  model: 'conformance-model',
  system_fingerprint: 'fp_conformance',
};

export function openAIChunks(options: OpenAIChunkOptions): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...HEAD,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const text of options.reasoning ?? []) events.push(chunk({ reasoning_content: text }));
  for (const text of options.pieces ?? []) events.push(chunk({ content: text }));
  if (options.call) {
    const { id, name, pieces } = options.call;
    events.push(
      chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }),
    );
    for (const piece of pieces)
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  }
  events.push(chunk({}, options.call ? 'tool_calls' : 'stop'));
  const { prompt, completion, cached = 0 } = options.usage;
  events.push({
    ...HEAD,
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  });
  events.push('[DONE]');
  return sse(events.map((data) => ({ data })));
}
