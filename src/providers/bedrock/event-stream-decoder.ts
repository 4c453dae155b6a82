// application/vnd.amazon.eventstream → messages. Framing and CRC checks are @smithy/eventstream-codec's;
// this file only buffers network chunks into whole frames (a frame may span chunks, a chunk may hold many).
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One decoded message with the headers Bedrock uses, payload as text. */
export interface EventStreamMessage {
  /** `event`, `exception` or `error` */
  messageType: string;
  eventType?: string;
  exceptionType?: string;
  errorCode?: string;
  errorMessage?: string;
  payload: string;
}

/** prelude (total length, headers length, prelude CRC) + message CRC */
const MIN_FRAME_BYTES = 16;
/** AWS caps an event-stream message at 16 MiB of payload plus 128 KiB of headers. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024 + 128 * 1024 + MIN_FRAME_BYTES;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Accumulates bytes and hands out whole frames; pending bytes stay at [start, end). */
export class FrameBuffer {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;

  get pending(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buffer.length) {
      const needed = this.pending + chunk.length;
      const target =
        needed > this.buffer.length
          ? new Uint8Array(Math.max(needed, this.buffer.length * 2, 4096))
          : this.buffer;
      target.set(this.buffer.subarray(this.start, this.end), 0);
      this.buffer = target;
      this.end = this.pending;
      this.start = 0;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Complete frames, each a fresh copy. Throws on an impossible frame length. */
  *frames(): Generator<Uint8Array> {
    while (this.pending >= 4) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.start, 4);
      const total = view.getUint32(0, false);
      if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) {
        throw new Error(`event stream frame has an impossible length (${total} bytes)`);
      }
      if (this.pending < total) return;
      const frame = this.buffer.slice(this.start, this.start + total);
      this.start += total;
      if (this.start === this.end) this.start = this.end = 0;
      yield frame;
    }
  }
}

function stringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

export function decodeFrame(frame: Uint8Array): EventStreamMessage {
  const { headers, body } = codec.decode(frame);
  const message: EventStreamMessage = {
    messageType: stringHeader(headers, ':message-type') ?? 'event',
    payload: toUtf8(body),
  };
  const eventType = stringHeader(headers, ':event-type');
  const exceptionType = stringHeader(headers, ':exception-type');
  const errorCode = stringHeader(headers, ':error-code');
  const errorMessage = stringHeader(headers, ':error-message');
  if (eventType !== undefined) message.eventType = eventType;
  if (exceptionType !== undefined) message.exceptionType = exceptionType;
  if (errorCode !== undefined) message.errorCode = errorCode;
  if (errorMessage !== undefined) message.errorMessage = errorMessage;
  return message;
}

/**
 * Decodes a binary event stream as its chunks arrive. Throws on a CRC mismatch, an impossible frame
 * length, or when the body ends inside a frame.
 */
export async function* decodeEventStream(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamMessage> {
  const buffer = new FrameBuffer();
  for await (const chunk of chunks) {
    buffer.push(chunk);
    for (const frame of buffer.frames()) yield decodeFrame(frame);
  }
  if (buffer.pending > 0) throw new Error(`event stream ended inside a frame (${buffer.pending} bytes left)`);
}
