// Anthropic → Anthropic passthrough when the caller can fail over to another deployment mid-stream
// (PassthroughStreamContext.onBroken): whole events instead of raw bytes, each re-framed as it was
// received (`event:` and `data:` kept as they are), so that what could not be taken back never reaches
// the client:
// - a retryable upstream `error` event (overloaded, api_error, rate limit, timeout) and malformed data
//   end the stream here and are reported; a half frame is never sent;
// - a tool_use block is held until the next event that is not part of a tool_use block (usually
//   message_delta), so a stream that dies inside a tool call loses it unseen and it can be redone whole.
// Any other upstream error event (e.g. invalid_request_error) is the upstream's answer and goes through.
import type { EventSourceMessage } from 'eventsource-parser';
import type { AttemptTap } from '../../core/adapters.ts';
import { type ErrorCode, GatewayError } from '../../core/errors.ts';
import { createSideSseParser } from './side-sse-parser.ts';
import { isObject, type JsonObject } from './validate.ts';

const RETRYABLE_ERRORS: Record<string, ErrorCode> = {
  overloaded_error: 'upstream_overloaded',
  api_error: 'upstream_unavailable',
  rate_limit_error: 'rate_limited',
  timeout_error: 'upstream_timeout',
};

/** One SSE frame, the data split over `data:` lines as the spec wants when it has newlines. */
function frame(message: EventSourceMessage): string {
  const event = message.event === undefined ? '' : `event: ${message.event}\n`;
  return `${event}data: ${message.data.split('\n').join('\ndata: ')}\n\n`;
}

class EventForwarder {
  failure?: GatewayError;
  private ready = '';
  private held = '';
  private readonly toolBlocks = new Set<number>();
  private readonly observe: (message: EventSourceMessage) => void;

  constructor(observe: (message: EventSourceMessage) => void) {
    this.observe = observe;
  }

  onMessage(message: EventSourceMessage): void {
    if (this.failure) return;
    const data = parseJson(message.data);
    if (!data) {
      this.failure = new GatewayError('upstream_stream_broken', 'Upstream sent malformed JSON');
      return;
    }
    const type = message.event ?? String(data.type);
    if (type === 'error' && this.retryableError(data)) return;
    this.observe(message);
    if (this.isToolEvent(type, data)) this.held += frame(message);
    else {
      this.ready += this.held + frame(message);
      this.held = '';
    }
  }

  take(): string {
    const out = this.ready;
    this.ready = '';
    return out;
  }

  private retryableError(data: JsonObject): boolean {
    const error = isObject(data.error) ? data.error : {};
    const code = typeof error.type === 'string' ? RETRYABLE_ERRORS[error.type] : undefined;
    if (!code) return false;
    const message = typeof error.message === 'string' ? error.message : 'Upstream error';
    this.failure = new GatewayError(code, message, { upstreamType: String(error.type) });
    return true;
  }

  private isToolEvent(type: string, data: JsonObject): boolean {
    const index = typeof data.index === 'number' ? data.index : -1;
    if (type === 'content_block_start') {
      const block = isObject(data.content_block) ? data.content_block : {};
      if (block.type !== 'tool_use') return false;
      this.toolBlocks.add(index);
      return true;
    }
    return (type === 'content_block_delta' || type === 'content_block_stop') && this.toolBlocks.has(index);
  }
}

export async function* tapStreamByEvent(
  chunks: AsyncIterable<Uint8Array>,
  tap: AttemptTap,
  onBroken: (error: GatewayError) => void,
  observe: (message: EventSourceMessage) => void,
  ended: () => boolean,
): AsyncGenerator<string> {
  const forwarder = new EventForwarder(observe);
  const parser = createSideSseParser((message) => forwarder.onMessage(message));
  let sawByte = false;
  try {
    for await (const chunk of chunks) {
      if (!sawByte && chunk.byteLength > 0) {
        sawByte = true;
        tap.onFirstByte();
      }
      await parser.push(chunk);
      const ready = forwarder.take();
      if (ready) yield ready;
      if (forwarder.failure) return onBroken(forwarder.failure);
    }
    await parser.end();
  } catch (error) {
    const failure =
      error instanceof GatewayError
        ? error
        : new GatewayError(
            'upstream_stream_broken',
            'The upstream stream failed before the response was complete',
            {
              cause: error,
            },
          );
    return onBroken(failure);
  }
  const last = forwarder.take();
  if (last) yield last;
  if (forwarder.failure) return onBroken(forwarder.failure);
  if (!ended())
    onBroken(
      new GatewayError(
        'upstream_stream_broken',
        'The upstream stream ended before the response was complete',
      ),
    );
}

function parseJson(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
