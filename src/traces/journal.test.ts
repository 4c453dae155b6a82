import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Journal } from './journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'sy-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('append writes JSON lines (creating folders), read returns them, truncate empties', async () => {
  const journal = new Journal<{ id: string; n: number }>(join(dir, 'a', 'b', 'j.ndjson'));
  assert.deepEqual(await journal.read(), { entries: [], corruptLines: 0 });
  assert.equal(await journal.hasEntries(), false);
  await journal.append([
    { id: 'x', n: 1 },
    { id: 'y', n: 2 },
  ]);
  journal.appendSync([{ id: 'z', n: 3 }]);
  await journal.append([]);
  assert.equal(readFileSync(journal.path, 'utf8'), '{"id":"x","n":1}\n{"id":"y","n":2}\n{"id":"z","n":3}\n');
  assert.deepEqual(await journal.read(), {
    entries: [
      { id: 'x', n: 1 },
      { id: 'y', n: 2 },
      { id: 'z', n: 3 },
    ],
    corruptLines: 0,
  });
  await journal.truncate();
  assert.equal(await journal.hasEntries(), false);
  assert.equal(readFileSync(journal.path, 'utf8'), '');
  await new Journal(join(dir, 'never-written.ndjson')).truncate();
});

test('a line cut short by a crash is counted as corrupt, and the next append starts a fresh line', async () => {
  const path = join(dir, 'torn.ndjson');
  writeFileSync(path, '{"id":"ok"}\n{"id":"to');
  const journal = new Journal<{ id: string }>(path);
  await journal.append([{ id: 'after' }]);
  journal.appendSync([{ id: 'sync' }]);
  assert.equal(readFileSync(path, 'utf8'), '{"id":"ok"}\n{"id":"to\n{"id":"after"}\n{"id":"sync"}\n');
  assert.deepEqual(await journal.read(), {
    entries: [{ id: 'ok' }, { id: 'after' }, { id: 'sync' }],
    corruptLines: 1,
  });
});
