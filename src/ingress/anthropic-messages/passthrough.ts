// Anthropic → Anthropic: the upstream's bytes go to the client unchanged; a side parser reads
// model, usage and stop reason for the tap. A stream that dies or ends without message_stop
// gets an Anthropic `error` event after the bytes already sent, never a silent end.
//
// onUsage is called with the cumulative snapshot so far (message_start, then each message_delta):
// the last call is the attempt's usage.
import type { EventSourceMessage } from 'eventsource-parser';
import type { AttemptTap, PassthroughCodec, PassthroughStreamContext } from '../../core/adapters.ts';
import { sseFrame } from '../../transport/sse.ts';
import { withoutForeignThinking } from './foreign-signature.ts';
import { decodeUsage } from './map-usage.ts';
import { tapStreamByEvent } from './passthrough-by-event.ts';
import { createSideSseParser } from './side-sse-parser.ts';
import { isObject, type JsonObject } from './validate.ts';
import type { AnthropicMessagesUsage } from './wire-types.ts';

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;

/** Reads the events of one upstream stream for the tap. */
class StreamObserver {
  /** message_stop or the upstream's own error event was seen */
  ended = false;
  private usage: Partial<AnthropicMessagesUsage> = {};
  private readonly tap: AttemptTap;

  constructor(tap: AttemptTap) {
    this.tap = tap;
  }

  onMessage(message: EventSourceMessage): void {
    const data = parseJson(message.data);
    if (!data) return;
    switch (message.event ?? data.type) {
      case 'message_start':
        this.onStart(data);
        break;
      case 'message_delta':
        this.onDelta(data);
        break;
      case 'message_stop':
      case 'error':
        this.ended = true;
        break;
    }
  }

  private onStart(data: JsonObject): void {
    const message = isObject(data.message) ? data.message : {};
    if (typeof message.model === 'string') this.tap.onResponseModel(message.model);
    if (isObject(message.usage)) this.mergeUsage(message.usage);
  }

  private onDelta(data: JsonObject): void {
    if (isObject(data.usage)) this.mergeUsage(data.usage);
    const delta = isObject(data.delta) ? data.delta : {};
    if (typeof delta.stop_reason === 'string') this.tap.onFinish(delta.stop_reason);
  }

  /** message_delta usage is cumulative and may resend input tokens: the last value of each field wins. */
  private mergeUsage(usage: JsonObject): void {
    for (const field of USAGE_FIELDS) {
      const value = usage[field];
      if (typeof value === 'number') this.usage[field] = value;
    }
    this.tap.onUsage(decodeUsage(this.usage));
  }
}

function parseJson(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True when the bytes sent so far end exactly on an SSE frame boundary (a blank line). */
function endsOnFrameBoundary(tail: string): boolean {
  return tail === '' || tail.endsWith('\n\n') || tail.endsWith('\r\r') || tail.endsWith('\r\n\r\n');
}

function brokenStreamFrame(tail: string, message: string): string {
  const body = { type: 'error', error: { type: 'api_error', message } };
  // After a partial frame, a blank line first so the error event is parsed as its own frame.
  return (endsOnFrameBoundary(tail) ? '' : '\n\n') + sseFrame(JSON.stringify(body), 'error');
}

async function* tapStream(
  chunks: AsyncIterable<Uint8Array>,
  tap: AttemptTap,
  context?: PassthroughStreamContext,
): AsyncGenerator<Uint8Array | string> {
  const observer = new StreamObserver(tap);
  if (context?.onBroken) {
    // The caller can fail over mid-stream: whole events only (passthrough-by-event.ts).
    const observe = (message: EventSourceMessage) => observer.onMessage(message);
    yield* tapStreamByEvent(chunks, tap, context.onBroken, observe, () => observer.ended);
    return;
  }
  const parser = createSideSseParser((message) => observer.onMessage(message));
  const decoder = new TextDecoder();
  let tail = '';
  let sawByte = false;
  try {
    for await (const chunk of chunks) {
      if (!sawByte && chunk.byteLength > 0) {
        sawByte = true;
        tap.onFirstByte();
      }
      yield chunk;
      tail = (tail + decoder.decode(chunk.subarray(-4), { stream: false })).slice(-4);
      await parser.push(chunk);
    }
    await parser.end();
  } catch {
    yield brokenStreamFrame(tail, 'The upstream stream failed before the response was complete');
    return;
  }
  if (!observer.ended)
    yield brokenStreamFrame(tail, 'The upstream stream ended before the response was complete');
}

function tapJson(body: unknown, tap: AttemptTap): void {
  if (!isObject(body)) return;
  if (typeof body.model === 'string') tap.onResponseModel(body.model);
  if (isObject(body.usage)) tap.onUsage(decodeUsage(body.usage as Partial<AnthropicMessagesUsage>));
  if (typeof body.stop_reason === 'string') tap.onFinish(body.stop_reason);
}

export const passthrough: PassthroughCodec = {
  prepareBody: (body) => {
    withoutForeignThinking(body);
    return { stripUsage: false };
  },
  tapStream: (chunks, tap, context) => tapStream(chunks, tap, context),
  tapJson,
};
