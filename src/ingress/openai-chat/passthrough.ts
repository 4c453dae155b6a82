import { createParser } from 'eventsource-parser';
import type { AttemptTap, PassthroughCodec, PassthroughStreamContext } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import { sseFrame } from '../../transport/sse.ts';
import { mapUsage } from '../../wire/openai-chat-usage.ts';
import { errorBody } from './encode-error.ts';

interface ChunkView {
  model?: string;
  choices?: Array<{ finish_reason?: string | null; delta?: { tool_calls?: unknown } }>;
  usage?: unknown;
  x_groq?: { usage?: unknown };
  error?: unknown;
}

/**
 * OpenAI chat → OpenAI-compatible: events are forwarded as the upstream framed them, one write per
 * upstream chunk, while usage, model and finish reason are read on the way. Only whole events are
 * forwarded, so a dying upstream never leaves half a frame in front of the error frame.
 * With `context.onBroken` (the caller can fail over mid-stream), malformed data counts as a broken
 * stream and tool-call chunks are held until the next other chunk, so an interrupted call can be redone.
 */
async function* tapStream(
  chunks: AsyncIterable<Uint8Array>,
  tap: AttemptTap,
  context: PassthroughStreamContext,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let out = '';
  let sawDone = false;
  let sawFinish = false;
  let malformed = false;
  /** tool-call chunks held back while a failover could still redo the call whole */
  let held = '';
  let first = true;
  const parser = createParser({
    onEvent(message) {
      if (malformed) return;
      let data = message.data;
      if (data === '[DONE]') {
        sawDone = true;
        out += `${held}data: [DONE]\n\n`;
        held = '';
        return;
      }
      const chunk = safeParse(data);
      if (!chunk && context.onBroken) {
        // Not JSON: with a caller that can fail over, the stream is treated as broken here.
        malformed = true;
        return;
      }
      if (chunk) {
        if (first && chunk.model) tap.onResponseModel(chunk.model);
        first = false;
        const usage = mapUsage(chunk.usage ?? chunk.x_groq?.usage);
        if (usage) tap.onUsage(usage);
        const finish = chunk.choices?.[0]?.finish_reason;
        if (finish) {
          sawFinish = true;
          tap.onFinish(finish);
        }
        if (chunk.error) sawFinish = true;
        if (context.stripUsage && usage && chunk.choices?.length === 0) return;
        // the gateway asked for usage: the `"usage":null` every chunk then carries is not the client's
        if (context.stripUsage && chunk.usage === null) data = withoutNullUsage(data, chunk);
        if (context.onBroken && chunk.choices?.[0]?.delta?.tool_calls) {
          held += `data: ${data}\n\n`;
          return;
        }
      }
      out += `${held}data: ${withCost(chunk, data, context)}\n\n`;
      held = '';
    },
  });
  let firstChunk = true;
  try {
    for await (const bytes of chunks) {
      if (firstChunk) {
        firstChunk = false;
        tap.onFirstByte();
      }
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (out) {
        const ready = out;
        out = '';
        yield ready;
      }
      if (sawDone) return;
      if (malformed) {
        context.onBroken?.(new GatewayError('upstream_stream_broken', 'Upstream sent malformed JSON'));
        return;
      }
    }
  } catch (error) {
    yield* broken(context, error);
    return;
  }
  if (sawFinish) {
    // Some compatible hosts end without [DONE] after a proper finish; clients still expect it.
    yield `${held}data: [DONE]\n\n`;
    return;
  }
  yield* broken(context, undefined);
}

/** The error frame, or (when the caller takes over) the report of the broken stream. */
function* broken(context: PassthroughStreamContext, cause: unknown): Generator<string> {
  const error =
    cause instanceof GatewayError
      ? cause
      : new GatewayError('upstream_stream_broken', 'Upstream stream ended before the response finished', {
          cause,
        });
  if (context.onBroken) {
    context.onBroken(error);
    return;
  }
  yield sseFrame(JSON.stringify(errorBody(error)));
}

/** The usage the client receives carries the request's cost (OpenRouter's `usage.cost`); other chunks pass as sent. */
function withCost(chunk: ChunkView | undefined, data: string, context: PassthroughStreamContext): string {
  if (!context.costUsd || !chunk?.usage || typeof chunk.usage !== 'object') return data;
  (chunk.usage as Record<string, unknown>).cost = context.costUsd();
  return JSON.stringify(chunk);
}

const NULL_USAGE = '"usage":null';

/** The chunk without its top-level `"usage":null`: cut from the text when that is unambiguous, else re-serialised. */
function withoutNullUsage(data: string, chunk: ChunkView): string {
  const at = data.indexOf(NULL_USAGE);
  const end = at + NULL_USAGE.length;
  // a quote inside a JSON string is escaped, so one unescaped match is the top-level key
  if (at > 0 && data.indexOf(NULL_USAGE, end) === -1) {
    if (data[at - 1] === ',') return data.slice(0, at - 1) + data.slice(end);
    if (data[end] === ',') return data.slice(0, at) + data.slice(end + 1);
  }
  const { usage: _usage, ...rest } = chunk;
  return JSON.stringify(rest);
}

function safeParse(data: string): ChunkView | undefined {
  try {
    return JSON.parse(data) as ChunkView;
  } catch {
    return undefined;
  }
}

function tapJson(body: unknown, tap: AttemptTap): void {
  const completion = body as ChunkView;
  if (completion?.model) tap.onResponseModel(completion.model);
  const usage = mapUsage(completion?.usage);
  if (usage) tap.onUsage(usage);
  tap.onFinish(completion?.choices?.[0]?.finish_reason ?? undefined);
}

/** Usage is always captured: ask for it even when the client did not, and strip it again on the way back. */
function prepareBody(body: Record<string, unknown>, stream: boolean): { stripUsage: boolean } {
  if (!stream) return { stripUsage: false };
  const options = body.stream_options as { include_usage?: boolean } | undefined | null;
  if (options?.include_usage) return { stripUsage: false };
  body.stream_options = { ...options, include_usage: true };
  return { stripUsage: true };
}

export const openAIChatPassthrough: PassthroughCodec = { prepareBody, tapStream, tapJson };
