// bench/bounds.mjs turns a harness results.json into the core issue's bound table. The fixture is two
// rounds of a real run (2026-12-06T05-56-38-s19-c), cut down to three targets and the three phases the
// bounds read; the expected figures below are worked out by hand from its numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs bench script without type declarations
import { checkBounds, median, renderBounds } from '../../bench/bounds.mjs';

const fixture = join(import.meta.dirname, 'fixtures', 'bench-results.json');
const load = () => JSON.parse(readFileSync(fixture, 'utf8'));

interface Row {
  target: string;
  cpuRatio: number | null;
  p50Limit: number | null;
  figures: {
    cpu: { median: number | null; rounds: number[] };
    p50: { median: number | null };
    p99: { median: number | null; rounds: number[] };
    ttfb: { median: number | null };
    rssMiB: number | null;
    saturated: boolean;
  };
  pass: Record<'cpu' | 'p50' | 'p99' | 'ttfb' | 'rss', boolean | null>;
}

const rowOf = (rows: Row[], target: string) => {
  const row = rows.find((candidate) => candidate.target === target);
  assert.ok(row, `no row for ${target}`);
  return row;
};

const close = (actual: number | null, expected: number, digits = 3) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≠ ${expected}`);

test('median is the middle value, or the mean of the two middle ones, ignoring missing values', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([null, 5, undefined, Number.NaN]), 5);
  assert.equal(median([]), null);
});

test('each Switchyard figure is the median over rounds, a Δ paired with the same round of direct', () => {
  const rows: Row[] = checkBounds(load());
  assert.deepEqual(rows.map((row) => row.target).sort(), ['bare-proxy', 'switchyard']);
  const switchyard = rowOf(rows, 'switchyard');
  // max-c64 CPU per 1k: switchyard 102.734 and 98.115, bare-proxy 45.856 and 51.188
  close(switchyard.figures.cpu.median, (102.73436820971023 + 98.11472390583666) / 2);
  close(
    switchyard.cpuRatio,
    (102.73436820971023 + 98.11472390583666) / (45.856394834223806 + 51.18768819003011),
  );
  // chat-500rps p50: round 0 20.598 − 20.111, round 1 20.785 − 20.201
  close(
    switchyard.figures.p50.median,
    (20.59843600000022 - 20.11116299999412 + (20.785444999986794 - 20.200883000041358)) / 2,
  );
  // the floor's Δp50: 20.510 − 20.111 and 20.482 − 20.201, plus 0.2 ms
  close(
    switchyard.p50Limit,
    (20.50973800000793 - 20.11116299999412 + (20.481873999990057 - 20.200883000041358)) / 2 + 0.2,
  );
  // chat-500rps p99: round 0 22.858 − 22.320 = 0.54, round 1 23.915 − 21.461 = 2.45
  assert.deepEqual(
    switchyard.figures.p99.rounds.map((value) => value.toFixed(2)),
    ['0.54', '2.45'],
  );
  close(
    switchyard.figures.p99.median,
    (22.857956000007107 - 22.320475000000442 + (23.91536400001496 - 21.460988999984693)) / 2,
  );
  // stream-100rps TTFB p50: 20.935 − 20.271 and 21.061 − 20.392
  close(
    switchyard.figures.ttfb.median,
    (20.93474100000458 - 20.270748000009917 + (21.061332000012044 - 20.39223800000036)) / 2,
  );
  // the highest VmHWM of any phase: 147,968 KiB in round 0's stream phase
  close(switchyard.figures.rssMiB, 147968 / 1024);
  assert.equal(switchyard.figures.saturated, false);
});

test('a bound passes or fails on the figure, and the floor is compared with itself', () => {
  const rows: Row[] = checkBounds(load());
  // CPU 2.07× the floor's fails; Δp50 0.536 against a limit of 0.540 passes
  assert.deepEqual(rowOf(rows, 'switchyard').pass, {
    cpu: false,
    p50: true,
    p99: true,
    ttfb: true,
    rss: true,
  });
  const floor = rowOf(rows, 'bare-proxy');
  close(floor.cpuRatio, 1);
  // bare-proxy's own peak RSS (160,740 KiB at max-c64 in round 1) is over 150 MiB
  assert.equal(floor.pass.rss, false);
});

test('skipped runs are left out, and a figure without its floor is not judged', () => {
  const result = load();
  result.runs.push({ round: 2, phase: 'max-c64', target: 'switchyard', skipped: 'smoke test failed' });
  const rows: Row[] = checkBounds(result, 'no-such-floor');
  const switchyard = rowOf(rows, 'switchyard');
  assert.equal(switchyard.figures.cpu.rounds.length, 2);
  assert.equal(switchyard.cpuRatio, null);
  assert.equal(switchyard.pass.cpu, null);
  assert.equal(switchyard.pass.p50, null);
  assert.equal(switchyard.pass.p99, true);
});

test('a target saturated at 500 req/s is marked in the table, with each verdict', () => {
  const result = load();
  for (const run of result.runs)
    if (run.target === 'switchyard' && run.phase === 'chat-500rps') run.saturated = true;
  const table: string = renderBounds(checkBounds(result));
  const line = table.split('\n').find((text) => text.startsWith('| switchyard'));
  assert.ok(line, table);
  assert.match(line, /SATURATED at 500 req\/s/);
  assert.match(line, /\(2\.07×\) ✗/);
  assert.match(line, /0\.54 \(0\.54\) ✓/);
  assert.match(line, /144\.5 ✓/);
  assert.match(table, /- switchyard: Δp99 0\.54, 2\.45; CPU 102\.7, 98\.1/);
});
