// Starts a worker thread whose `resourceLimits` hold.
//
// V8 sizes a new isolate's heap from the process's heap flags before the limits it is given
// (Heap::ConfigureHeap): under `--max-semi-space-size=8`, as `npm start` runs, a worker asked for a
// 2 MiB young generation grew one of 16 MiB, and `--max-old-space-size` replaced its old-generation limit
// the same way. The flags are read only when an isolate is created, so once the main heap is sized they
// can be cleared for the worker's: the main thread keeps its own sizes.
import { setFlagsFromString } from 'node:v8';
import { type ResourceLimits, Worker, type WorkerOptions } from 'node:worker_threads';

/** The flags V8 lets override a worker's young- and old-generation limits. */
const HEAP_SIZE_FLAGS = ['--max-semi-space-size', '--max-old-space-size', '--max-heap-size'];

export function startBoundedWorker(
  script: URL,
  options: WorkerOptions & { resourceLimits: ResourceLimits },
): Worker {
  for (const flag of HEAP_SIZE_FLAGS) setFlagsFromString(`${flag}=0`);
  return new Worker(script, options);
}
