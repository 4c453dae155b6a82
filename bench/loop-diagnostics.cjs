// Preload for finding where a latency tail comes from in a bench run (not used by Switchyard itself):
//   "env": { "NODE_OPTIONS": "--require <repo>/bench/loop-diagnostics.cjs" }
// in a copy of a target file. It writes to stderr, which the harness keeps in results/<run>/logs/:
//   - `stall N ms`: the event loop came back more than STALL_MS late to a 5 ms timer;
//   - `gc <kind> N ms`: every garbage collection other than a scavenge, and scavenges over 1 ms;
//   - `cpu N ms <thread>:<run>/<wait> ...`: per thread over the last half second, when the process used
//     more than CPU_MS: ms on the CPU, and ms it was ready to run but waited for the CPU (from
//     /proc/self/task/<tid>/schedstat; V8's GC and compiler helper shows as V8Worker, the trace thread as
//     WorkerThread). On a pinned core, MainThread's wait is time taken by the process's own other threads:
//     during a mark-compact under load, V8Worker's concurrent marking held the core for whole scheduler
//     ticks (4 ms at HZ=250) while requests waited. Without schedstat, only CPU in 10 ms ticks is shown.
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

/** Per thread: nanoseconds on the CPU and waiting for it, from schedstat (or CPU ticks from stat). */
function threadTimes() {
  const times = new Map();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      times.set(tid, readThread(tid));
    } catch {
      // the thread ended
    }
  }
  return times;
}

function readThread(tid) {
  const dir = `/proc/self/task/${tid}`;
  const name = fs.readFileSync(`${dir}/comm`, 'utf8').trim();
  try {
    const [run, wait] = fs.readFileSync(`${dir}/schedstat`, 'utf8').split(' ').map(Number);
    return { name, run, wait };
  } catch {
    const stat = fs.readFileSync(`${dir}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name, run: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS * 1e6, wait: undefined };
  }
}

function watchThreadCpu() {
  let before = threadTimes();
  setInterval(() => {
    const now = threadTimes();
    const used = [];
    let total = 0;
    for (const [tid, { name, run, wait }] of now) {
      const earlier = before.get(tid);
      const ms = (run - (earlier?.run ?? run)) / 1e6;
      total += ms;
      if (ms <= 0) continue;
      const waited = wait === undefined ? '' : `/${((wait - (earlier?.wait ?? wait)) / 1e6).toFixed(1)}`;
      used.push(`${name}:${ms.toFixed(1)}${waited}`);
    }
    before = now;
    if (total > CPU_MS) write(`cpu ${total.toFixed(0)} ms ${used.join(' ')}`);
  }, CPU_EVERY_MS).unref();
}

if (isMainThread) {
  watchStalls();
  watchGc();
  watchThreadCpu();
}
