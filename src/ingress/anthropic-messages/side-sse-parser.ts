// Parses SSE bytes "on the side": the caller forwards each chunk itself and hands a copy here.
// parseSse pulls from an async iterable; this feeds it one chunk at a time and resolves `push`
// once every message completed by that chunk has been delivered to `onMessage`.
import type { EventSourceMessage } from 'eventsource-parser';
import { parseSse } from '../../transport/sse.ts';

export interface SideSseParser {
  push(chunk: Uint8Array): Promise<void>;
  /** signals the end of the bytes and waits for the last messages */
  end(): Promise<void>;
}

export function createSideSseParser(onMessage: (message: EventSourceMessage) => void): SideSseParser {
  let deliver: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  let pulled: (() => void) | undefined;
  let pullWaiter = new Promise<void>((resolve) => {
    pulled = resolve;
  });
  const source: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<Uint8Array>>((resolve) => {
          deliver = resolve;
          pulled?.();
        }),
    }),
  };
  const done = (async () => {
    for await (const message of parseSse(source)) {
      try {
        onMessage(message);
      } catch {
        // an observer must never break the stream it observes
      }
    }
  })();
  /** waits until parseSse asks for the next chunk, i.e. has finished with the previous one */
  const nextPull = async (): Promise<void> => {
    await Promise.race([pullWaiter, done]);
    pullWaiter = new Promise<void>((resolve) => {
      pulled = resolve;
    });
  };
  let ready = nextPull();
  return {
    async push(chunk) {
      await ready;
      const give = deliver;
      deliver = undefined;
      ready = nextPull();
      give?.({ value: chunk, done: false });
      await ready;
    },
    async end() {
      await ready;
      deliver?.({ value: undefined, done: true });
      deliver = undefined;
      await done.catch(() => undefined);
    },
  };
}
