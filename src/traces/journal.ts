// A local append-only journal of trace records the database did not take: JSON lines, fsync'd.
// Replayed into the store later and truncated only after the records are in (inserts are idempotent by id,
// so a crash between insert and truncate only replays records that are skipped).
import { appendFileSync, closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const DEFAULT_JOURNAL_PATH = './.switchyard/trace-journal.ndjson';

export interface JournalContents<T> {
  entries: T[];
  /** lines that did not parse (a write cut short by a crash) */
  corruptLines: number;
}

function toLines(entries: readonly unknown[]): string {
  let text = '';
  for (const entry of entries) text += `${JSON.stringify(entry)}\n`;
  return text;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/** A crash mid-append can leave a last line without its newline; start on a fresh line after it. */
async function separatorAfter(handle: FileHandle): Promise<string> {
  const { size } = await handle.stat();
  if (size === 0) return '';
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, size - 1);
  return byte[0] === 0x0a ? '' : '\n';
}

function separatorAfterSync(fd: number): string {
  const { size } = fstatSync(fd);
  if (size === 0) return '';
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, size - 1);
  return byte[0] === 0x0a ? '' : '\n';
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems cannot fsync a directory; the file itself is synced
  } finally {
    await handle.close();
  }
}

export class Journal<T = unknown> {
  readonly path: string;

  constructor(path: string = DEFAULT_JOURNAL_PATH) {
    this.path = path;
  }

  /** Appends and fsyncs; resolves only once the entries are on disk. */
  async append(entries: readonly T[]): Promise<void> {
    if (entries.length === 0) return;
    const created = !(await this.exists());
    if (created) await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a+');
    try {
      await handle.appendFile((await separatorAfter(handle)) + toLines(entries));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await syncDirectory(dirname(this.path));
  }

  /** Synchronous append, for shutdown paths where nothing async may run any more. */
  appendSync(entries: readonly T[]): void {
    if (entries.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a+');
    try {
      appendFileSync(fd, separatorAfterSync(fd) + toLines(entries));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async exists(): Promise<boolean> {
    try {
      await stat(this.path);
      return true;
    } catch {
      return false;
    }
  }

  async hasEntries(): Promise<boolean> {
    try {
      return (await stat(this.path)).size > 0;
    } catch {
      return false;
    }
  }

  async read(): Promise<JournalContents<T>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], corruptLines: 0 };
      throw error;
    }
    const entries: T[] = [];
    let corruptLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as T);
      } catch {
        corruptLines++;
      }
    }
    return { entries, corruptLines };
  }

  /** Empties the journal (fsync'd). */
  async truncate(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      await handle.truncate(0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
