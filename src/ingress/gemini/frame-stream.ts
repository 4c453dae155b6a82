import type { EncodeContext } from '../../core/adapters.ts';
import type { StreamEvent } from '../../core/stream-events.ts';
import { geminiStreamChunks } from './stream-chunks.ts';

/**
 * One Gemini SSE frame. The Gemini API separates events with CRLF (`data: {...}\r\n\r\n`, no `event:` lines,
 * no [DONE]), unlike the LF framing of `sseFrame` in transport/sse.ts; @google/genai splits on either.
 */
export function geminiSseFrame(data: string): string {
  return `data: ${data}\r\n\r\n`;
}

/** `:streamGenerateContent?alt=sse`: one SSE frame per chunk. */
export async function* encodeSseStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  for await (const chunk of geminiStreamChunks(events, context)) yield geminiSseFrame(JSON.stringify(chunk));
}

/** `:streamGenerateContent` without `alt=sse`: a JSON array written as it grows: `[`, chunks joined by `,\r\n`, `]`. */
export async function* encodeJsonArrayStream(
  events: AsyncIterable<StreamEvent>,
  context: EncodeContext,
): AsyncGenerator<string> {
  let separator = '[';
  for await (const chunk of geminiStreamChunks(events, context)) {
    yield separator + JSON.stringify(chunk);
    separator = ',\r\n';
  }
  yield separator === '[' ? '[]' : ']';
}
