// Preload for finding where a latency tail comes from in a bench run (not used by Switchyard itself):
//   "env": { "NODE_OPTIONS": "--require <repo>/bench/loop-diagnostics.cjs" }
// in a copy of a target file. It writes to stderr, which the harness keeps in results/<run>/logs/:
//   - `stall N ms`: the event loop came back more than STALL_MS late to a 5 ms timer;
//   - `gc <kind> N ms`: every garbage collection other than a scavenge, and scavenges over 1 ms;
//   - `cpu N ms <thread>:<ms> ...`: CPU per thread over the last half second, when the process used more
//     than CPU_MS (V8's GC helper shows as V8Worker, the trace thread as WorkerThread).
// Each line starts with `diag HH:MM:SS.mmm` (UTC); bench/events-by-phase.mjs sorts them into the harness's phases.
const fs = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');

const TICK_MS = 5;
const STALL_MS = 3;
const CPU_EVERY_MS = 500;
const CPU_MS = 60;
const GC_KINDS = {
  1: 'scavenge',
  2: 'minor-mark-sweep',
  4: 'mark-compact',
  8: 'incremental',
  16: 'weak-callbacks',
};
const CLOCK_TICK_MS = 10; // USER_HZ 100 on Linux

function write(text) {
  fs.writeSync(2, `diag ${new Date().toISOString().slice(11, 23)} ${text}\n`);
}

function watchStalls() {
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > STALL_MS) write(`stall ${late.toFixed(1)} ms`);
    last = now;
  }, TICK_MS).unref();
}

function watchGc() {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = entry.detail?.kind;
      if (kind !== 1 || entry.duration > 1)
        write(`gc ${GC_KINDS[kind] ?? kind} ${entry.duration.toFixed(2)} ms`);
    }
  }).observe({ entryTypes: ['gc'] });
}

function threadTicks() {
  const ticks = new Map();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return ticks;
}

function watchThreadCpu() {
  let before = threadTicks();
  setInterval(() => {
    const now = threadTicks();
    const used = [];
    let total = 0;
    for (const [tid, { name, ticks }] of now) {
      const ms = (ticks - (before.get(tid)?.ticks ?? ticks)) * CLOCK_TICK_MS;
      total += ms;
      if (ms > 0) used.push(`${name}:${ms}`);
    }
    before = now;
    if (total > CPU_MS) write(`cpu ${total} ms ${used.join(' ')}`);
  }, CPU_EVERY_MS).unref();
}

if (isMainThread) {
  watchStalls();
  watchGc();
  watchThreadCpu();
}
