// A writer process killed with SIGKILL mid-write leaves a SQLite file that passes integrity_check,
// with every trace it reported committed still readable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/open-store.ts';
import { makeTrace } from './test-support/make-trace.ts';
import { storedIds } from './test-support/switchable-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'sy-kill9-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const repoNode = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const nodeBinary = existsSync(repoNode) ? repoNode : process.execPath;
const script = fileURLToPath(new URL('./test-support/write-traces-forever.ts', import.meta.url));

/** Runs the writer until it reports `target` stored traces, then SIGKILLs it; returns the last count reported. */
function runAndKill(dbPath: string, journalPath: string, target: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary, [script, dbPath, journalPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) reported = Number(line.replace('stored ', ''));
      if (reported >= target && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer exited early (code ${code}): ${stderr}`));
    });
  });
}

test('kill -9 mid-write: integrity_check is ok and every reported trace is readable', async () => {
  const dbPath = join(dir, 'kill.db');
  const reported = await runAndKill(dbPath, join(dir, 'journal.ndjson'), 3000);
  assert.ok(reported >= 3000);
  const store = await openStore(dbPath);
  try {
    assert.deepEqual(await store.integrityCheck(), { ok: true, details: ['ok'] });
    const ids = await storedIds(store);
    // everything the child reported was committed; a batch in flight at the kill may or may not be
    assert.ok(ids.length >= reported, `${ids.length} stored, ${reported} reported`);
    assert.deepEqual(
      ids,
      Array.from({ length: ids.length }, (_, n) => `kill-${String(n).padStart(7, '0')}`),
    );
    const n = reported - 1;
    assert.deepEqual(
      await store.getTrace(`kill-${String(n).padStart(7, '0')}`),
      makeTrace({
        id: `kill-${String(n).padStart(7, '0')}`,
        createdAt: 1_700_000_000_000 + n,
        requestBody: JSON.stringify({ n, padding: 'x'.repeat(500) }),
      }),
    );
    const page = await store.listTraces({}, { limit: 5 });
    assert.equal(page.items.length, 5);
    assert.equal(await store.insertTraces([makeTrace({ id: 'after-crash' })]), 1);
  } finally {
    await store.close();
  }
});
