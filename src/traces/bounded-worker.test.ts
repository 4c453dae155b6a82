import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { START_FLAGS } from '../../test/helpers/start-flags.ts';

/** `npm start`'s heap-size flags: the trace thread must keep its own limits under all of them. */
const heapFlags = START_FLAGS.filter((flag) => /^--(min|max)-(semi|old)-space-size=/.test(flag));

// A process started with the heap flags `npm start` uses starts two workers that churn and report their
// young generation's size; then the main thread does the same.
/** Allocates enough short-lived objects to grow the young generation as far as it may; reports its size. */
const churnAndMeasure = `
  let kept = [];
  for (let i = 0; i < 4e6; i++) { kept.push({ i, s: 'x' + i }); if (kept.length > 20000) kept = []; }
  const newSpaceMiB = (await import('node:v8')).getHeapSpaceStatistics()
    .find((space) => space.space_name === 'new_space').space_size / 2 ** 20;`;

const script = `
import { Worker } from 'node:worker_threads';
import { startBoundedWorker } from ${JSON.stringify(new URL('./bounded-worker.ts', import.meta.url).href)};

const worker = new URL('data:text/javascript,' + encodeURIComponent(
  ${JSON.stringify(churnAndMeasure)} + "(await import('node:worker_threads')).parentPort.postMessage(newSpaceMiB);"));
const limits = { resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } };
const report = (started) => new Promise((resolve) => started.once('message', (size) => started.terminate().then(() => resolve(size))));
const plain = await report(new Worker(worker, limits));
const bounded = await report(startBoundedWorker(worker, limits));
${churnAndMeasure}
console.log(JSON.stringify({ plain, bounded, main: newSpaceMiB }));
`;

test('npm start sizes the young generation (the flags this test starts with)', () => {
  assert.ok(heapFlags.includes('--min-semi-space-size=8'), heapFlags.join(' '));
  assert.ok(heapFlags.includes('--max-semi-space-size=8'), heapFlags.join(' '));
});

test('a worker started bounded keeps its young-generation limit under the process heap flags, and the main thread keeps its own', () => {
  const run = spawnSync(process.execPath, [...heapFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const sizes = JSON.parse(run.stdout) as { plain: number; bounded: number; main: number };
  // the flag overrides a plain worker's limit: this is what the bounded start is for
  assert.ok(sizes.plain > 2, `a plain worker's new space was ${sizes.plain} MiB`);
  // V8 reported 2–3.25 MiB here for a 2 MiB limit (a plain worker: 16–18)
  assert.ok(sizes.bounded <= 4, `the bounded worker's new space was ${sizes.bounded} MiB`);
  assert.ok(sizes.main > 2, `the main thread's new space was ${sizes.main} MiB`);
});
