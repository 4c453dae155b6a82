import type { Usage } from '../../core/canonical.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { parseSse } from '../../transport/sse.ts';
import { mapUsage } from '../../wire/openai-chat-usage.ts';
import { errorFromBody } from './map-error.ts';
import { mapFinishReason } from './map-finish-reason.ts';

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}
interface ChunkDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ToolCallDelta[];
}
interface Chunk {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{ index?: number; delta?: ChunkDelta; finish_reason?: string | null }>;
  usage?: unknown;
  x_groq?: { usage?: unknown };
  error?: unknown;
}

/** Turns OpenAI chat chunks into canonical events; tolerant of the compatible hosts' variations. */
class ChatStreamState {
  private started = false;
  private nextIndex = 0;
  private textIndex: number | undefined;
  private reasoningIndex: number | undefined;
  private readonly toolIndexes = new Map<number, number>();
  private finishReason: string | undefined;
  private usage: Usage | undefined;

  *onChunk(chunk: Chunk): Generator<StreamEvent> {
    if (!this.started) {
      this.started = true;
      yield { type: 'response-start', id: chunk.id ?? '', model: chunk.model ?? '', created: chunk.created };
    }
    const usage = mapUsage(chunk.usage ?? chunk.x_groq?.usage);
    if (usage) this.usage = usage;
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) yield* this.onReasoning(reasoning);
    if (delta.content) yield* this.onText(delta.content);
    if (delta.tool_calls) for (const call of delta.tool_calls) yield* this.onToolCall(call);
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      yield* this.closeAll();
    }
  }

  *finish(): Generator<StreamEvent> {
    if (this.finishReason === undefined) {
      yield {
        type: 'error',
        error: new GatewayError(
          'upstream_stream_broken',
          'Upstream stream ended before the response finished',
        ),
      };
      return;
    }
    yield* this.closeAll();
    if (this.usage) yield { type: 'usage', usage: this.usage };
    yield {
      type: 'response-end',
      finishReason: mapFinishReason(this.finishReason),
      rawFinishReason: this.finishReason,
      usage: this.usage,
    };
  }

  private *onReasoning(text: string): Generator<StreamEvent> {
    if (this.reasoningIndex === undefined) {
      yield* this.closeText();
      this.reasoningIndex = this.nextIndex++;
    }
    yield { type: 'reasoning-delta', index: this.reasoningIndex, delta: text };
  }

  private *onText(text: string): Generator<StreamEvent> {
    if (this.textIndex === undefined) {
      yield* this.closeReasoning();
      this.textIndex = this.nextIndex++;
    }
    yield { type: 'text-delta', index: this.textIndex, delta: text };
  }

  private *onToolCall(call: ToolCallDelta): Generator<StreamEvent> {
    // Some hosts omit `index`; a fragment with a fresh id then starts the next call.
    const position = call.index ?? (call.id ? this.toolIndexes.size : Math.max(0, this.toolIndexes.size - 1));
    let index = this.toolIndexes.get(position);
    if (index === undefined) {
      yield* this.closeText();
      yield* this.closeReasoning();
      index = this.nextIndex++;
      this.toolIndexes.set(position, index);
      yield {
        type: 'tool-call-start',
        index,
        id: call.id || `call_${position}`,
        name: call.function?.name ?? '',
      };
    }
    if (call.function?.arguments)
      yield { type: 'tool-call-delta', index, argumentsDelta: call.function.arguments };
  }

  private *closeText(): Generator<StreamEvent> {
    if (this.textIndex === undefined) return;
    yield { type: 'block-end', index: this.textIndex };
    this.textIndex = undefined;
  }

  private *closeReasoning(): Generator<StreamEvent> {
    if (this.reasoningIndex === undefined) return;
    yield { type: 'block-end', index: this.reasoningIndex };
    this.reasoningIndex = undefined;
  }

  private *closeAll(): Generator<StreamEvent> {
    yield* this.closeReasoning();
    yield* this.closeText();
    for (const index of this.toolIndexes.values()) yield { type: 'block-end', index };
    this.toolIndexes.clear();
  }
}

export async function* parseStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamEvent> {
  const state = new ChatStreamState();
  try {
    for await (const message of parseSse(body)) {
      if (message.data === '[DONE]') break;
      let chunk: Chunk;
      try {
        chunk = JSON.parse(message.data) as Chunk;
      } catch {
        yield {
          type: 'error',
          error: new GatewayError('upstream_stream_broken', 'Upstream sent malformed JSON'),
        };
        return;
      }
      if (chunk.error) {
        yield { type: 'error', error: errorFromBody(chunk, 500) };
        return;
      }
      yield* state.onChunk(chunk);
    }
  } catch (error) {
    yield { type: 'error', error: brokenStream(error) };
    return;
  }
  yield* state.finish();
}

function brokenStream(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('upstream_stream_broken', 'Upstream connection failed mid-stream', {
    cause: error,
  });
}
