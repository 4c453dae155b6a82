// The store contract over SQLite (node:sqlite), in a fresh file per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { storeContract } from './contract.ts';
import { openStore } from './open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'sy-sqlite-'));
let n = 0;

after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store (file)', () => {
  storeContract(() => openStore(`sqlite:${join(dir, `store-${n++}.db`)}`));
});

describe('SQLite store (memory)', () => {
  storeContract(() => openStore('sqlite::memory:'));
});
