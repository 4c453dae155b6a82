// Payload logging (opt-in): the request body as received and the reply exactly as the client got it
// (the JSON body, or the stream's frames), kept beside the RequestRecord until its trace is written.
import type { ServerResponse } from 'node:http';
import type { RequestRecord } from '../routing/request-record.ts';

export interface CapturedPayloads {
  requestBody: string | null;
  responseBody: string | null;
}

interface Capture {
  request: Buffer | undefined;
  chunks: Buffer[];
  bytes: number;
  limit: number;
  truncated: boolean;
}

const captures = new WeakMap<RequestRecord, Capture>();

/** Remembers the request body and tees what the route writes to the client, up to `limit` bytes. */
export function capturePayloads(
  record: RequestRecord,
  requestBody: Buffer | undefined,
  response: ServerResponse,
  limit: number,
): void {
  const capture: Capture = { request: requestBody, chunks: [], bytes: 0, limit, truncated: false };
  captures.set(record, capture);
  const write = response.write;
  const end = response.end;
  response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(capture, chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') keep(capture, chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

function keep(capture: Capture, chunk: unknown, encoding: unknown): void {
  if (chunk === undefined || chunk === null) return;
  const buffer =
    typeof chunk === 'string'
      ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : undefined;
  if (!buffer || buffer.length === 0) return;
  const room = capture.limit - capture.bytes;
  if (room <= 0) {
    capture.truncated = true;
    return;
  }
  const part = buffer.length > room ? buffer.subarray(0, room) : buffer;
  if (part.length < buffer.length) capture.truncated = true;
  // copied: a stream's chunk buffers may be reused once written
  capture.chunks.push(Buffer.from(part));
  capture.bytes += part.length;
}

/** The captured bodies as text (once; the capture is dropped). Undefined when nothing was captured. */
export function takePayloads(record: RequestRecord): CapturedPayloads | undefined {
  const capture = captures.get(record);
  if (!capture) return undefined;
  captures.delete(record);
  const response = capture.chunks.length
    ? Buffer.concat(capture.chunks, capture.bytes).toString('utf8')
    : null;
  return {
    requestBody: capture.request ? capture.request.toString('utf8') : null,
    responseBody:
      response !== null && capture.truncated
        ? `${response}\n[switchyard: truncated after ${capture.limit} bytes]`
        : response,
  };
}
