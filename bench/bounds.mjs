// The core issue's performance bounds, read from a ../shared/bench run's results.json:
//   node bench/bounds.mjs <results/<run>/results.json> [--floor bare-proxy]
// Every figure is the median over rounds, as in the harness's report; a Δ is paired with the direct run
// of the same round. Bounds: CPU per request at max-c64 ≤ 2× the floor's; Δp50 at 500 req/s ≤ the floor's
// Δp50 + 0.2 ms; Δp99 at 500 req/s ≤ 2 ms; streaming ΔTTFB p50 ≤ 1 ms; peak RSS in any phase ≤ 150 MiB.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const RATE_PHASE = 'chat-500rps';
const MAX_PHASE = 'max-c64';
const STREAM_PHASE = 'stream-100rps';
export const LIMITS = { cpuRatio: 2, p50OverFloor: 0.2, p99: 2, ttfb: 1, rssMiB: 150 };

/** The harness's median: the middle value, or the mean of the two middle ones. */
export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Per target: the figures the bounds are about, each with its per-round values. */
export function figures(result) {
  const measured = result.runs.filter((run) => !run.skipped);
  const direct = new Map(
    measured.filter((run) => run.target === 'direct').map((run) => [`${run.phase}|${run.round}`, run]),
  );
  const runsOf = (target, phase) => measured.filter((run) => run.target === target && run.phase === phase);
  const paired = (target, phase, get) =>
    runsOf(target, phase).flatMap((run) => {
      const base = direct.get(`${phase}|${run.round}`);
      return base ? [get(run) - get(base)] : [];
    });
  const out = new Map();
  for (const { name, isDirect } of result.targets) {
    if (isDirect) continue;
    const cpu = runsOf(name, MAX_PHASE).map((run) => run.gw?.cpuMsPer1k);
    const p50 = paired(name, RATE_PHASE, (run) => run.lat.p50);
    const p99 = paired(name, RATE_PHASE, (run) => run.lat.p99);
    const ttfb = paired(name, STREAM_PHASE, (run) => run.ttfb.p50);
    const rss = measured.filter((run) => run.target === name && run.gw).map((run) => run.gw.hwmKb / 1024);
    out.set(name, {
      cpu: { median: median(cpu), rounds: cpu },
      p50: { median: median(p50), rounds: p50 },
      p99: { median: median(p99), rounds: p99 },
      ttfb: { median: median(ttfb), rounds: ttfb },
      rssMiB: rss.length > 0 ? Math.max(...rss) : null,
      saturated: runsOf(name, RATE_PHASE).some((run) => run.saturated),
    });
  }
  return out;
}

/** Each target's figures against the bounds; `pass` is null where a figure or the floor is missing. */
export function checkBounds(result, floorName = 'bare-proxy') {
  const all = figures(result);
  const floor = all.get(floorName);
  const within = (value, limit) => (value === null || limit === null ? null : value <= limit + 1e-9);
  const rows = [];
  for (const [target, f] of all) {
    const cpuRatio = floor?.cpu.median && f.cpu.median !== null ? f.cpu.median / floor.cpu.median : null;
    const p50Limit = floor?.p50.median == null ? null : floor.p50.median + LIMITS.p50OverFloor;
    rows.push({
      target,
      figures: f,
      cpuRatio,
      p50Limit,
      pass: {
        cpu: within(cpuRatio, LIMITS.cpuRatio),
        p50: within(f.p50.median, p50Limit),
        p99: within(f.p99.median, LIMITS.p99),
        ttfb: within(f.ttfb.median, LIMITS.ttfb),
        rss: within(f.rssMiB, LIMITS.rssMiB),
      },
    });
  }
  return rows;
}

const fixed = (value, digits = 2) => (value === null || value === undefined ? '–' : value.toFixed(digits));
const mark = (pass) => (pass === null ? '' : pass ? ' ✓' : ' ✗');
const rounds = (values, digits) => values.map((value) => fixed(value, digits)).join(', ');

export function renderBounds(rows, floorName = 'bare-proxy') {
  const lines = [
    `| target | CPU/1k at ${MAX_PHASE} (× ${floorName}) | Δp50 at 500 req/s (limit) | Δp99 at 500 req/s | ΔTTFB p50 | peak RSS MiB |`,
    '|---|---|---|---|---|---|',
  ];
  for (const { target, figures: f, cpuRatio, p50Limit, pass } of rows) {
    lines.push(
      `| ${target}${f.saturated ? ' (SATURATED at 500 req/s)' : ''} | ${fixed(f.cpu.median, 1)} (${fixed(cpuRatio)}×)${mark(pass.cpu)}` +
        ` | ${fixed(f.p50.median)} (${fixed(p50Limit)})${mark(pass.p50)} | ${fixed(f.p99.median)}${mark(pass.p99)}` +
        ` | ${fixed(f.ttfb.median)}${mark(pass.ttfb)} | ${fixed(f.rssMiB, 1)}${mark(pass.rss)} |`,
    );
  }
  lines.push('', 'Per round (Δp99 at 500 req/s; CPU/1k at max-c64):');
  for (const { target, figures: f } of rows)
    lines.push(`- ${target}: Δp99 ${rounds(f.p99.rounds, 2)}; CPU ${rounds(f.cpu.rounds, 1)}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { floor: { type: 'string', default: 'bare-proxy' } },
  });
  if (positionals.length === 0) {
    console.error('usage: node bench/bounds.mjs <results.json> [...] [--floor bare-proxy]');
    process.exit(2);
  }
  for (const file of positionals) {
    const result = JSON.parse(fs.readFileSync(file, 'utf8'));
    console.log(`${file}\n\n${renderBounds(checkBounds(result, values.floor), values.floor)}\n`);
  }
}
