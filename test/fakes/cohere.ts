// Builds Cohere v2 chat replies (JSON and typed SSE streams) in the real wire format, for fake upstreams.
import { type ScriptedReply, sse } from './fake-server.ts';

export interface CohereFakeToolCall {
  id: string;
  name: string;
  /** JSON text; '' reproduces Cohere's empty-argument calls */
  arguments: string;
}

export interface CohereFakeReply {
  id?: string;
  thinking?: string;
  text?: string;
  toolPlan?: string;
  toolCalls?: CohereFakeToolCall[];
  /** COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR, TIMEOUT */
  finishReason?: string;
  /** actual tokens (`usage.tokens`); billed units are derived from them */
  usage?: { input: number; output: number; cached?: number };
}

const DEFAULT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function finishReasonOf(reply: CohereFakeReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'TOOL_CALL' : 'COMPLETE');
}

function usageOf(reply: CohereFakeReply): Record<string, unknown> {
  const { input, output, cached } = reply.usage ?? { input: 10, output: 5 };
  const usage: Record<string, unknown> = {
    billed_units: { input_tokens: Math.max(1, input - (cached ?? 0)), output_tokens: output },
    tokens: { input_tokens: input, output_tokens: output },
  };
  if (cached !== undefined) usage.cached_tokens = cached;
  return usage;
}

/** A non-streamed `/v2/chat` reply body. */
export function cohereChatBody(reply: CohereFakeReply): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant' };
  const content: unknown[] = [];
  if (reply.thinking !== undefined) content.push({ type: 'thinking', thinking: reply.thinking });
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
  if (content.length > 0) message.content = content;
  if (reply.toolPlan !== undefined) message.tool_plan = reply.toolPlan;
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return { id: reply.id ?? DEFAULT_ID, message, finish_reason: finishReasonOf(reply), usage: usageOf(reply) };
}

/** Splits text into word-sized pieces the way Cohere streams tokens (leading spaces kept). */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? (text === '' ? [] : [text]);
}

function event(data: Record<string, unknown>): { event: string; data: unknown } {
  return { event: String(data.type), data };
}

function contentEvents(index: number, kind: 'text' | 'thinking', text: string) {
  const events = [
    event({ type: 'content-start', index, delta: { message: { content: { type: kind, [kind]: '' } } } }),
  ];
  for (const piece of pieces(text)) {
    events.push(event({ type: 'content-delta', index, delta: { message: { content: { [kind]: piece } } } }));
  }
  events.push(event({ type: 'content-end', index }));
  return events;
}

function toolCallEvents(index: number, call: CohereFakeToolCall) {
  const start = { id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
  const events = [event({ type: 'tool-call-start', index, delta: { message: { tool_calls: start } } })];
  for (let at = 0; at < call.arguments.length; at += 8) {
    const fragment = call.arguments.slice(at, at + 8);
    events.push(
      event({
        type: 'tool-call-delta',
        index,
        delta: { message: { tool_calls: { function: { arguments: fragment } } } },
      }),
    );
  }
  events.push(event({ type: 'tool-call-end', index }));
  return events;
}

/** The SSE frames of a streamed `/v2/chat` reply; `omitEnd` leaves out message-end (a broken stream). */
export function cohereStreamChunks(reply: CohereFakeReply, options: { omitEnd?: boolean } = {}): string[] {
  const emptyMessage = { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] };
  const events = [
    event({ id: reply.id ?? DEFAULT_ID, type: 'message-start', delta: { message: emptyMessage } }),
  ];
  let index = 0;
  if (reply.thinking !== undefined) events.push(...contentEvents(index++, 'thinking', reply.thinking));
  if (reply.text !== undefined) events.push(...contentEvents(index++, 'text', reply.text));
  for (const piece of pieces(reply.toolPlan ?? '')) {
    events.push(event({ type: 'tool-plan-delta', delta: { message: { tool_plan: piece } } }));
  }
  reply.toolCalls?.forEach((call, position) => {
    events.push(...toolCallEvents(position, call));
  });
  if (!options.omitEnd) {
    events.push(
      event({ type: 'message-end', delta: { finish_reason: finishReasonOf(reply), usage: usageOf(reply) } }),
    );
  }
  return sse(events);
}

export function cohereJsonReply(reply: CohereFakeReply): ScriptedReply {
  return { status: 200, body: cohereChatBody(reply) };
}

export function cohereStreamReply(
  reply: CohereFakeReply,
  options: { omitEnd?: boolean } & Partial<ScriptedReply> = {},
): ScriptedReply {
  const { omitEnd, ...scripted } = options;
  return { status: 200, ...scripted, chunks: cohereStreamChunks(reply, { omitEnd }) };
}

/** Cohere's error body is `{"message": "..."}` (some include an `id`). */
export function cohereErrorReply(
  status: number,
  message: string,
  headers?: Record<string, string>,
): ScriptedReply {
  return { status, headers, body: { id: 'e0e1e2e3-f4f5-4a6b-8c7d-9e0f1a2b3c4d', message } };
}
