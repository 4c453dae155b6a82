// Replies in Anthropic Messages' real wire format, for tests with startFakeServer().
import { type ScriptedReply, sse } from './fake-server.ts';

export interface AnthropicFakeToolUse {
  id?: string;
  name: string;
  input: Record<string, unknown>;
  /** how `JSON.stringify(input)` is split into input_json_delta fragments when streamed */
  chunks?: string[];
}

export interface AnthropicFakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface AnthropicFakeReply {
  id?: string;
  model?: string;
  /** a thinking block first; `text` may be split into stream chunks */
  thinking?: { text: string | string[]; signature: string };
  /** a redacted_thinking block (its opaque `data`) after the thinking block */
  redactedThinking?: string;
  /** the text block; an array is streamed as one text_delta per element */
  text?: string | string[];
  toolUse?: AnthropicFakeToolUse | AnthropicFakeToolUse[];
  usage?: AnthropicFakeUsage;
  /** default: `tool_use` when there are tool calls, else `end_turn` */
  stopReason?: string;
  stopSequence?: string | null;
}

const joined = (value: string | string[]): string => (Array.isArray(value) ? value.join('') : value);
const pieces = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function toolUses(reply: AnthropicFakeReply): Array<AnthropicFakeToolUse & { id: string }> {
  const list =
    reply.toolUse === undefined ? [] : Array.isArray(reply.toolUse) ? reply.toolUse : [reply.toolUse];
  return list.map((tool, i) => ({ ...tool, id: tool.id ?? `toolu_01Fake${String(i).padStart(18, '0')}` }));
}

function usageOf(reply: AnthropicFakeReply) {
  return {
    input_tokens: reply.usage?.input_tokens ?? 10,
    cache_creation_input_tokens: reply.usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: reply.usage?.cache_read_input_tokens ?? 0,
    output_tokens: reply.usage?.output_tokens ?? 5,
    service_tier: 'standard',
  };
}

function stopReasonOf(reply: AnthropicFakeReply): string {
  return reply.stopReason ?? (toolUses(reply).length > 0 ? 'tool_use' : 'end_turn');
}

/** A complete (non-streamed) Messages reply body. */
export function anthropicMessage(reply: AnthropicFakeReply = {}): Record<string, unknown> {
  const content: unknown[] = [];
  if (reply.thinking) {
    content.push({
      type: 'thinking',
      thinking: joined(reply.thinking.text),
      signature: reply.thinking.signature,
    });
  }
  if (reply.redactedThinking !== undefined) {
    content.push({ type: 'redacted_thinking', data: reply.redactedThinking });
  }
  if (reply.text !== undefined) content.push({ type: 'text', text: joined(reply.text) });
  for (const tool of toolUses(reply))
    content.push({ type: 'tool_use', id: tool.id, name: tool.name, input: tool.input });
  return {
    model: reply.model ?? 'claude-sonnet-4-5-20250929',
    id: reply.id ?? 'msg_01FakeMessage0000000000',
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: stopReasonOf(reply),
    stop_sequence: reply.stopSequence ?? null,
    usage: usageOf(reply),
  };
}

type Frame = { event: string; data: unknown };

function blockFrames(index: number, start: unknown, deltas: unknown[]): Frame[] {
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: start } },
    ...deltas.map((delta) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

function contentFrames(reply: AnthropicFakeReply): Frame[][] {
  const blocks: Frame[][] = [];
  if (reply.thinking) {
    const deltas = [
      ...pieces(reply.thinking.text).map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: reply.thinking.signature },
    ];
    blocks.push(blockFrames(blocks.length, { type: 'thinking', thinking: '', signature: '' }, deltas));
  }
  if (reply.redactedThinking !== undefined) {
    // a redacted block arrives whole in its content_block_start, with no deltas
    blocks.push(blockFrames(blocks.length, { type: 'redacted_thinking', data: reply.redactedThinking }, []));
  }
  if (reply.text !== undefined) {
    const deltas = pieces(reply.text).map((text) => ({ type: 'text_delta', text }));
    blocks.push(blockFrames(blocks.length, { type: 'text', text: '' }, deltas));
  }
  for (const tool of toolUses(reply)) {
    const json = JSON.stringify(tool.input);
    const parts = tool.chunks ?? [
      '',
      json.slice(0, Math.ceil(json.length / 2)),
      json.slice(Math.ceil(json.length / 2)),
    ];
    const deltas = parts.map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    blocks.push(
      blockFrames(blocks.length, { type: 'tool_use', id: tool.id, name: tool.name, input: {} }, deltas),
    );
  }
  return blocks;
}

/**
 * SSE chunks of a streamed reply, in Anthropic's exact event order: message_start,
 * content_block_start, ping, deltas, content_block_stop (per block), message_delta, message_stop.
 */
export function anthropicStream(reply: AnthropicFakeReply = {}): string[] {
  const usage = usageOf(reply);
  const message: Record<string, unknown> = {
    ...anthropicMessage(reply),
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage, output_tokens: 1 },
  };
  const ping: Frame = { event: 'ping', data: { type: 'ping' } };
  const blocks = contentFrames(reply);
  const body: Frame[] =
    blocks.length === 0 ? [ping] : [blocks[0][0], ping, ...blocks[0].slice(1), ...blocks.slice(1).flat()];
  return sse([
    { event: 'message_start', data: { type: 'message_start', message } },
    ...body,
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stopReasonOf(reply), stop_sequence: reply.stopSequence ?? null },
        usage: { output_tokens: usage.output_tokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]);
}

/** An `event: error` frame, as Anthropic sends mid-stream (e.g. `overloaded_error`). */
export function anthropicErrorEvent(type: string, message: string): string {
  return sse([{ event: 'error', data: { type: 'error', error: { type, message } } }])[0];
}

/** An HTTP error reply with Anthropic's error body. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    status,
    headers: { 'request-id': 'req_011CFakeRequest000000000', ...headers },
    body: { type: 'error', error: { type, message }, request_id: 'req_011CFakeRequest000000000' },
  };
}
