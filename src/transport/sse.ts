import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Parses an SSE byte stream into messages. Messages are yielded as soon as their frame
 * completes; nothing is buffered beyond the current network chunk.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder();
  let pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  parser.feed(decoder.decode());
  // A final frame without its blank line is incomplete by the SSE spec; it is dropped, not guessed at.
  if (pending.length > 0) yield* pending;
}

/** One SSE frame. `data` must not contain newlines (JSON.stringify output never does). */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
