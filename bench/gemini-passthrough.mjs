// Gemini in → Gemini out (the passthrough path), measured the way ../shared/bench measures the OpenAI
// and Anthropic paths, which its mock and client cannot speak: a fake Gemini upstream and the load
// generator share one CPU, each gateway gets another to itself; the same workload also goes straight
// to the mock (the baseline) and through ../shared/bench/targets/bare-proxy.mjs (the floor).
//
//   node bench/gemini-passthrough.mjs [--rounds 2] [--duration 6] [--client-cpus 0] [--gateway-cpus 1]
//
// Phases (per target, order rotated each round): max-c64 (closed loop, 64 connections, no mock delay),
// rate-500 (open loop 500 req/s, mock delay 20 ms), stream-100 (100 streams/s, 20 SSE chunks 10 ms apart).
// Reported per phase: req/s, p50/p99 and Δ to direct, gateway CPU ms per 1k requests, peak RSS.
// The mock's replies are the recorded wire shapes in ../shared/protocols/fixtures (gemini-*.json/.sse).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const shared = join(root, '..', 'shared');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '1' },
    'client-cpus': { type: 'string', default: '0' },
    'gateway-cpus': { type: 'string', default: '1' },
    mock: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
  },
});

const MODEL = 'gemini-2.5-flash';
const PROMPT =
  'Hi! I ordered a pair of running shoes last Tuesday and the tracking page still says "label created". ' +
  'What does that status usually mean, and can I still change the delivery address?';
const CHUNKS = 20;
/** the Node flags `npm start` runs Switchyard with (package.json) */
const NODE_FLAGS = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((word) => word.startsWith('--'));

if (args.mock) startMock(Number(args.port));
else await main();

// ---------------------------------------------------------------- mock upstream (its own process)
function startMock(port) {
  const fixtures = join(shared, 'protocols', 'fixtures');
  const plain = readFileSync(join(fixtures, 'gemini-generate-content-text.json'));
  const recorded = readFileSync(join(fixtures, 'gemini-stream-text.sse'), 'utf8')
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice(6)));
  // 20 content frames shaped like the recording's first frame, then its last (finish + usage) frame
  const [first, , last] = recorded;
  const frames = Array.from({ length: CHUNKS }, (_, i) => {
    const frame = structuredClone(first);
    frame.candidates[0].content.parts = [{ text: ` word${i}` }];
    return `data: ${JSON.stringify(frame)}\r\n\r\n`;
  });
  frames.push(`data: ${JSON.stringify(last)}\r\n\r\n`);
  let delay = 0;
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/__delay') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        delay = Number(body);
        response.end('ok');
      });
      return;
    }
    request.resume();
    request.on('end', () => {
      if (request.url.includes(':streamGenerateContent')) {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          let i = 0;
          const next = () => {
            response.write(frames[i++]);
            if (i < frames.length) setTimeout(next, 10);
            else response.end();
          };
          next();
        }, 20);
        return;
      }
      const send = () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': plain.length });
        response.end(plain);
      };
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(JSON.stringify({ listening: server.address().port }));
  });
}

// ---------------------------------------------------------------- harness
async function main() {
  const clientCpus = args['client-cpus'];
  const gatewayCpus = args['gateway-cpus'];
  execFileSync('taskset', ['-a', '-p', '-c', clientCpus, String(process.pid)], { stdio: 'ignore' });
  const mock = await spawnReady([process.execPath, fileURLToPath(import.meta.url), '--mock'], clientCpus);
  const upstream = `http://127.0.0.1:${mock.port}`;
  const node = join(root, 'node_modules', '.bin', 'node');
  const targets = [
    { name: 'direct', base: upstream },
    await startTarget(
      'bare-proxy',
      [
        process.execPath,
        join(shared, 'bench', 'targets', 'bare-proxy.mjs'),
        '--port',
        '{port}',
        '--upstream',
        upstream,
      ],
      {},
      gatewayCpus,
    ),
    await startTarget(
      'switchyard',
      [node, ...NODE_FLAGS, join(root, 'dist', 'main.js'), 'serve', '--port', '{port}'],
      {
        GEMINI_API_KEY: 'bench-gemini-key',
        GEMINI_BASE_URL: upstream,
        SWITCHYARD_CONFIG: '',
        LOG_LEVEL: 'warn',
        SWITCHYARD_DATABASE_URL: `sqlite:${join(root, '.switchyard', 'bench-gemini.db')}`,
        SWITCHYARD_TRACE_JOURNAL: join(root, '.switchyard', 'bench-gemini-journal.ndjson'),
      },
      gatewayCpus,
    ),
  ];
  const phases = [
    { name: 'max-c64', stream: false, delay: 0, concurrency: 64 },
    { name: 'rate-500', stream: false, delay: 20, rate: 500 },
    { name: 'stream-100', stream: true, delay: 20, rate: 100 },
  ];
  const results = [];
  try {
    for (const target of targets)
      for (const phase of phases) await runPhase(target, phase, upstream, 1, null);
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const [p, phase] of phases.entries()) {
        const order = rotate(targets, round + p);
        for (const target of order)
          results.push(await runPhase(target, phase, upstream, Number(args.duration), round));
      }
    }
  } finally {
    for (const target of targets) target.child && stop(target.child);
    stop(mock.child);
  }
  report(results, targets, phases);
}

async function runPhase(target, phase, upstream, seconds, round) {
  await fetch(`${upstream}/__delay`, { method: 'POST', body: String(phase.delay) });
  const pool = new Pool(target.base, { connections: phase.concurrency ?? 256, pipelining: 1 });
  const path = `/v1beta/models/${MODEL}:${phase.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
  const body = JSON.stringify({
    contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
    generationConfig: { maxOutputTokens: 256 },
  });
  const spec = {
    path,
    body,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'bench-client-key' },
  };
  await load(pool, spec, phase, Math.min(Number(args.warmup), seconds), null);
  const tree = target.child ? treePids(target.child.pid) : [];
  if (target.child)
    for (const pid of tree)
      try {
        execFileSync('sh', ['-c', `echo 5 > /proc/${pid}/clear_refs`]);
      } catch {}
  const cpu0 = cpuMs(tree);
  const rec = { lat: [], ttfb: [], ok: 0, errors: 0, firstError: undefined };
  const started = performance.now();
  await load(pool, spec, phase, seconds, rec);
  const wall = performance.now() - started;
  const cpu = cpuMs(tree) - cpu0;
  await pool.close();
  const rssKb = tree.reduce((sum, pid) => sum + statusKb(pid, 'VmHWM'), 0);
  return {
    target: target.name,
    phase: phase.name,
    round,
    ok: rec.ok,
    errors: rec.errors,
    firstError: rec.firstError,
    rps: (rec.ok * 1000) / wall,
    lat: pct(rec.lat),
    ttfb: pct(rec.ttfb),
    cpuPer1k: target.child ? (cpu * 1000) / rec.ok : null,
    rssMiB: target.child ? rssKb / 1024 : null,
  };
}

async function load(pool, spec, phase, seconds, rec) {
  const end = performance.now() + seconds * 1000;
  const one = async () => {
    const t0 = performance.now();
    let ttfb = -1;
    try {
      const response = await pool.request({ method: 'POST', ...spec });
      let text = '';
      for await (const chunk of response.body) {
        if (ttfb < 0) ttfb = performance.now() - t0;
        text += chunk;
      }
      const bad = invalid(response.statusCode, text, phase.stream);
      if (!rec) return;
      if (bad) {
        rec.errors++;
        rec.firstError ??= bad;
        return;
      }
      rec.ok++;
      rec.lat.push(performance.now() - t0);
      if (phase.stream) rec.ttfb.push(ttfb);
    } catch (error) {
      if (rec) {
        rec.errors++;
        rec.firstError ??= String(error);
      }
    }
  };
  if (phase.concurrency) {
    await Promise.all(
      Array.from({ length: phase.concurrency }, async () => {
        while (performance.now() < end) await one();
      }),
    );
    return;
  }
  const inflight = new Set();
  const interval = 1000 / phase.rate;
  const start = performance.now();
  let sent = 0;
  while (performance.now() < end) {
    const due = Math.floor((performance.now() - start) / interval) + 1;
    while (sent < due) {
      const p = one();
      inflight.add(p);
      p.finally(() => inflight.delete(p));
      sent++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inflight);
}

/** A reply that is not the upstream's answer (or a stream without all its chunks) is an error, not a sample. */
function invalid(status, text, stream) {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 160)}`;
  if (!stream)
    return JSON.parse(text).candidates?.[0]?.content?.parts?.[0]?.text ? null : 'no candidate text';
  const frames = text.split(/\r?\n\r?\n/).filter((frame) => frame.startsWith('data: '));
  if (frames.length < CHUNKS + 1) return `stream has ${frames.length}/${CHUNKS + 1} frames`;
  return JSON.parse(frames.at(-1).slice(6)).candidates?.[0]?.finishReason === 'STOP' ? null : 'no STOP frame';
}

// ---------------------------------------------------------------- report
function report(results, targets, phases) {
  const median = (xs) => {
    const sorted = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
  };
  const f = (x, digits = 2) => (x === null || x === undefined ? '–' : x.toFixed(digits));
  console.log(
    `\n## Gemini generateContent passthrough (${args.rounds} rounds × ${args.duration} s, medians)\n`,
  );
  console.log(
    '| phase | target | ok req/s | errors | p50 ms | p99 ms | Δp50 | Δp99 | TTFB p50 | ΔTTFB p50 | gw CPU ms / 1k req | ×bare | peak RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const phase of phases) {
    const rows = Object.fromEntries(
      targets.map((t) => [t.name, results.filter((r) => r.phase === phase.name && r.target === t.name)]),
    );
    const delta = (name, key, q) =>
      median(
        rows[name].map((r) => {
          const base = rows.direct.find((d) => d.round === r.round);
          return r[key][q] !== null && base?.[key][q] !== null ? r[key][q] - base[key][q] : null;
        }),
      );
    const bareCpu = median(rows['bare-proxy'].map((r) => r.cpuPer1k));
    for (const t of targets) {
      const rs = rows[t.name];
      const cpu = median(rs.map((r) => r.cpuPer1k));
      console.log(
        `| ${phase.name} | ${t.name} | ${f(median(rs.map((r) => r.rps)), 0)} | ${rs.reduce((s, r) => s + r.errors, 0)}${rs.find((r) => r.firstError)?.firstError ? ` (${rs.find((r) => r.firstError).firstError.slice(0, 60)})` : ''} | ${f(median(rs.map((r) => r.lat.p50)))} | ${f(median(rs.map((r) => r.lat.p99)))} | ${t.name === 'direct' ? '–' : f(delta(t.name, 'lat', 'p50'))} | ${t.name === 'direct' ? '–' : f(delta(t.name, 'lat', 'p99'))} | ${phase.stream ? f(median(rs.map((r) => r.ttfb.p50))) : '–'} | ${phase.stream && t.name !== 'direct' ? f(delta(t.name, 'ttfb', 'p50')) : '–'} | ${f(cpu, 0)} | ${cpu !== null && bareCpu ? f(cpu / bareCpu) : '–'} | ${f(median(rs.map((r) => r.rssMiB)), 0)} |`,
      );
    }
  }
}

// ---------------------------------------------------------------- processes
function pct(values) {
  if (!values.length) return { p50: null, p99: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p99: at(0.99) };
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function spawnReady(command, cpus, env = {}) {
  const child = spawn('taskset', ['-c', cpus, ...command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
    child.stdout.once('data', (line) => resolve({ child, port: JSON.parse(String(line)).listening }));
  });
}

async function startTarget(name, command, env, cpus) {
  const port = await freePort();
  const argv = command.map((part) => part.replace('{port}', String(port)));
  const child = spawn('taskset', ['-c', cpus, ...argv], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'ignore',
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      await fetch(`${base}/health`);
      return { name, base, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${name} did not start`);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
}

function treePids(pid) {
  const out = [pid];
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean))
      out.push(...treePids(Number(child)));
  } catch {}
  return out;
}

function cpuMs(pids) {
  const tick = 1000 / 100;
  return pids.reduce((sum, pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      return sum;
    }
  }, 0);
}

function statusKb(pid, key) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${key}:`));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}
