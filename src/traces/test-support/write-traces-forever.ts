// Child process for the kill -9 test: writes traces through a TraceWriter to a SQLite file until killed.
// Usage: node write-traces-forever.ts <db path> <journal path>
// After each flush it prints "stored <n>": n traces are committed.
import { openStore } from '../../store/open-store.ts';
import { TraceWriter } from '../trace-writer.ts';
import { makeTrace } from './make-trace.ts';

const [dbPath, journalPath] = process.argv.slice(2);
const store = await openStore(`sqlite:${dbPath}`);
const writer = new TraceWriter({ store, batchSize: 50, flushIntervalMs: 1, journalPath });
let n = 0;
for (;;) {
  for (let i = 0; i < 50; i++, n++) {
    writer.record(
      makeTrace({
        id: `kill-${String(n).padStart(7, '0')}`,
        createdAt: 1_700_000_000_000 + n,
        requestBody: JSON.stringify({ n, padding: 'x'.repeat(500) }),
      }),
    );
  }
  await writer.flush();
  process.stdout.write(`stored ${n}\n`);
}
