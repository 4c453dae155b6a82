import type { AttemptTap, PassthroughCodec, PassthroughStreamContext } from '../../core/adapters.ts';
import type { Usage } from '../../core/canonical.ts';
import { GatewayError, isGatewayError } from '../../core/errors.ts';
import { parseSse } from '../../transport/sse.ts';
import { encodeGeminiError } from './encode-error.ts';
import { geminiSseFrame } from './frame-stream.ts';
import { isObject } from './read-field.ts';
import { fromUsageMetadata } from './usage-metadata.ts';

/** Reads Gemini reply objects as they pass: model, last usage, finish (or a terminal error body). */
class ReplyReader {
  ended = false;
  private model?: string;
  private usage?: Usage;
  private usageReported = false;
  private readonly tap: AttemptTap;

  constructor(tap: AttemptTap) {
    this.tap = tap;
  }

  read(reply: unknown): void {
    if (!isObject(reply)) return;
    if (isObject(reply.error)) {
      this.ended = true;
      return;
    }
    if (typeof reply.modelVersion === 'string' && this.model === undefined) {
      this.model = reply.modelVersion;
      this.tap.onResponseModel(reply.modelVersion);
    }
    const usage = fromUsageMetadata(reply.usageMetadata);
    if (usage) this.usage = usage;
    const reason = finishReasonOf(reply);
    if (reason !== undefined && !this.ended) {
      this.ended = true;
      this.tap.onFinish(reason);
    }
  }

  /** Usage is cumulative in Gemini streams: only the last report counts, and it is reported once. */
  reportUsage(): void {
    if (this.usageReported || !this.usage) return;
    this.usageReported = true;
    this.tap.onUsage(this.usage);
  }
}

/** A candidate's finishReason, or a blocked prompt's blockReason (then there are no candidates). */
function finishReasonOf(reply: Record<string, unknown>): string | undefined {
  if (Array.isArray(reply.candidates)) {
    for (const candidate of reply.candidates) {
      if (isObject(candidate) && typeof candidate.finishReason === 'string') return candidate.finishReason;
    }
  }
  const feedback = reply.promptFeedback;
  if (isObject(feedback) && typeof feedback.blockReason === 'string') return feedback.blockReason;
  return undefined;
}

/** An async iterable fed by push(): lets parseSse read the bytes we forward, on the side. */
class ByteQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Uint8Array[] = [];
  private closed = false;
  private wake?: () => void;

  push(chunk: Uint8Array): void {
    this.items.push(chunk);
    this.signal();
  }

  end(): void {
    this.closed = true;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    while (true) {
      const next = this.items.shift();
      if (next) yield next;
      else if (this.closed) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

async function readFrames(queue: ByteQueue, reader: ReplyReader): Promise<void> {
  try {
    for await (const message of parseSse(queue)) {
      try {
        reader.read(JSON.parse(message.data));
      } catch {
        // not JSON: forwarded untouched, nothing to read from it
      }
    }
  } catch {
    // the side reader must never break the forwarded stream
  }
}

/** Remembers whether the bytes forwarded so far end on an SSE frame boundary. */
class FrameTail {
  private tail = '';

  track(chunk: Uint8Array): void {
    const end = chunk.subarray(Math.max(0, chunk.length - 4));
    this.tail = (this.tail + String.fromCharCode(...end)).slice(-4);
  }

  /** what to write before a new frame so it cannot merge with a half-written one */
  separator(): string {
    const t = this.tail;
    if (t === '' || t.endsWith('\n\n') || t.endsWith('\r\r') || t.endsWith('\r\n\r\n')) return '';
    return '\r\n\r\n';
  }
}

function brokenStreamFrame(failure: unknown): string {
  return geminiSseFrame(JSON.stringify(encodeGeminiError(brokenError(failure)).body));
}

function brokenError(failure: unknown): GatewayError {
  return isGatewayError(failure)
    ? failure
    : new GatewayError(
        'upstream_stream_broken',
        failure === undefined
          ? 'The upstream stream ended before the model finished'
          : 'The upstream stream broke before the model finished',
      );
}

/** Forwards Gemini SSE bytes unchanged; a stream that breaks or ends without a finishReason gets an error frame. */
async function* tapStream(
  chunks: AsyncIterable<Uint8Array>,
  tap: AttemptTap,
  context: PassthroughStreamContext,
): AsyncGenerator<Uint8Array | string> {
  const queue = new ByteQueue();
  const reader = new ReplyReader(tap);
  const reading = readFrames(queue, reader);
  const tail = new FrameTail();
  let first = true;
  let failure: unknown;
  try {
    try {
      for await (const chunk of chunks) {
        if (first) tap.onFirstByte();
        first = false;
        queue.push(chunk);
        tail.track(chunk);
        yield chunk;
      }
    } catch (error) {
      failure = error ?? new Error('stream failed');
    }
    queue.end();
    await reading;
    if (failure !== undefined || !reader.ended) {
      // The caller may take over (mid-stream failover); otherwise the stream ends with Google's error body.
      if (context?.onBroken) context.onBroken(brokenError(failure));
      else yield tail.separator() + brokenStreamFrame(failure);
    }
  } finally {
    queue.end();
    await reading;
    reader.reportUsage();
  }
}

function tapJson(body: unknown, tap: AttemptTap): void {
  const reader = new ReplyReader(tap);
  for (const reply of Array.isArray(body) ? body : [body]) reader.read(reply);
  reader.reportUsage();
}

export const geminiPassthrough: PassthroughCodec = { tapStream, tapJson };
