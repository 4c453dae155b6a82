import { createParser } from 'eventsource-parser';
import type { AttemptTap, PassthroughCodec, PassthroughStreamContext } from '../../core/adapters.ts';
import { GatewayError } from '../../core/errors.ts';
import { sseFrame } from '../../transport/sse.ts';
import { mapUsage } from '../../wire/openai-chat-usage.ts';
import { errorBody } from './encode-error.ts';

interface ChunkView {
  model?: string;
  choices?: Array<{ finish_reason?: string | null }>;
  usage?: unknown;
  x_groq?: { usage?: unknown };
  error?: unknown;
}

/**
 * OpenAI chat → OpenAI-compatible: events are forwarded as the upstream framed them, one write per
 * upstream chunk, while usage, model and finish reason are read on the way. Only whole events are
 * forwarded, so a dying upstream never leaves half a frame in front of the error frame.
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
  let first = true;
  const parser = createParser({
    onEvent(message) {
      const data = message.data;
      if (data === '[DONE]') {
        sawDone = true;
        out += 'data: [DONE]\n\n';
        return;
      }
      const chunk = safeParse(data);
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
      }
      out += `data: ${data}\n\n`;
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
    }
  } catch (error) {
    yield brokenFrame(error);
    return;
  }
  if (sawFinish) {
    // Some compatible hosts end without [DONE] after a proper finish; clients still expect it.
    yield 'data: [DONE]\n\n';
    return;
  }
  yield brokenFrame(undefined);
}

function brokenFrame(cause: unknown): string {
  const error = new GatewayError(
    'upstream_stream_broken',
    'Upstream stream ended before the response finished',
    {
      cause,
    },
  );
  return sseFrame(JSON.stringify(errorBody(error)));
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
