// Sorts the lines bench/loop-diagnostics.cjs wrote into the harness phases they fell in.
//   node bench/events-by-phase.mjs [--warmup S] [--duration S] <harness stderr, saved with 2> run.log> \
//     <results/<run>/logs/<target>.log> <target name>
// The harness prints a line when a phase ends for a target; the phase covers the --warmup and --duration
// seconds before it: pass the values the run used (the harness's defaults, 1 and 6, otherwise). Prints, per
// phase and round: stalls (count, longest), mark-compacts, the highest half-second CPU seen, and the
// longest the main thread waited for the CPU in a half second, so a bad round's p99 can be matched with
// what the process did then.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { warmup: { type: 'string', default: '1' }, duration: { type: 'string', default: '6' } },
});
const [harnessLog, targetLog, target] = positionals;
const phaseSeconds = Number(values.warmup) + Number(values.duration);
if (!target || !(phaseSeconds > 0)) {
  console.error(
    'usage: node bench/events-by-phase.mjs [--warmup S] [--duration S] <harness stderr> <target log> <target name>',
  );
  process.exit(2);
}
const secondsOf = (hh, mm, ss) => Number(hh) * 3600 + Number(mm) * 60 + Number(ss);

const phases = [];
const phaseLine = /^\[(\d\d):(\d\d):(\d\d)\] \[\d+\/\d+\] (r\d+) (\S+)\s+(\S+)/;
for (const line of fs.readFileSync(harnessLog, 'utf8').split('\n')) {
  const m = phaseLine.exec(line);
  if (!m || m[6] !== target) continue;
  const end = secondsOf(m[1], m[2], m[3]) + 1; // the stamp is truncated to the second
  phases.push({
    name: `${m[4]} ${m[5]}`,
    from: end - phaseSeconds - 1,
    to: end,
    stalls: [],
    gcs: [],
    cpu: 0,
    mainWait: undefined,
  });
}

const eventLine = /^diag (\d\d):(\d\d):(\d\d\.\d+) (stall|gc|cpu) (.*)$/;
for (const line of fs.readFileSync(targetLog, 'utf8').split('\n')) {
  const m = eventLine.exec(line);
  if (!m) continue;
  const at = secondsOf(m[1], m[2], m[3]);
  const phase = phases.find((p) => at >= p.from && at < p.to);
  if (!phase) continue;
  const [first, second] = m[5].split(' ');
  if (m[4] === 'stall') phase.stalls.push(Number(first));
  else if (m[4] === 'gc' && first === 'mark-compact') phase.gcs.push(Number(second));
  else if (m[4] === 'cpu') {
    phase.cpu = Math.max(phase.cpu, Number(first));
    const wait = mainThreadWait(m[5]);
    if (wait !== undefined) phase.mainWait = Math.max(phase.mainWait ?? 0, wait);
  }
}

/** From `N ms MainThread:<run>/<wait> ...`: the wait, when the line has one. */
function mainThreadWait(cpuLine) {
  const main = cpuLine.split(' ').find((word) => word.startsWith('MainThread:'));
  const wait = main?.split('/')[1];
  return wait === undefined ? undefined : Number(wait);
}

console.log(
  'phase | stalls > 3 ms | longest stall ms | mark-compacts (pause ms) | max CPU ms per 0.5 s | max main-thread wait ms per 0.5 s',
);
for (const p of phases) {
  const longest = p.stalls.length ? Math.max(...p.stalls).toFixed(1) : '–';
  console.log(
    `${p.name} | ${p.stalls.length} | ${longest} | ${p.gcs.map((ms) => ms.toFixed(1)).join(', ') || '–'} | ${p.cpu || '–'} | ${p.mainWait?.toFixed(1) ?? '–'}`,
  );
}
