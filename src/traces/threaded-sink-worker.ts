// Runs in a worker thread: owns its own SQLite connection and inserts trace batches, so the
// synchronous SQLite writes never block the gateway's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store.ts';
import type { TraceRecord } from './trace-record.ts';

interface InsertMessage {
  id: number;
  records: TraceRecord[];
}

const store = await openStore(workerData.url as string, { migrate: false });
const port = parentPort!;

port.on('message', async (message: InsertMessage | 'close') => {
  if (message === 'close') {
    await store.close();
    port.close();
    return;
  }
  try {
    const inserted = await store.insertTraces(message.records);
    port.postMessage({ id: message.id, inserted });
  } catch (caught) {
    const error = caught as { message?: string; code?: unknown; errcode?: unknown };
    port.postMessage({
      id: message.id,
      error: { message: String(error?.message), code: error?.code, errcode: error?.errcode },
    });
  }
});
port.postMessage({ ready: true });
