import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FolderWatch, type WatchOptions, watchFolder } from '../../local/watch-folder.js';

/** Polls until `check` passes or the deadline ends. */
async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

const read = (file: string) => readFile(file, 'utf8').catch(() => undefined);

describe('watchFolder', () => {
  let dir: string;
  const watches: FolderWatch[] = [];
  const errors: unknown[] = [];
  const watching = async (changed: (file: string) => Promise<void>, options: WatchOptions) => {
    const watch = watchFolder(dir, changed, (error) => errors.push(error), options);
    watches.push(watch);
    await watch.ready;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfeed-watch-'));
    errors.length = 0;
  });

  afterEach(async () => {
    for (const watch of watches.splice(0)) await watch.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports again in its final form a file read half-written whose last write raised no event', async () => {
    // Prepare: the rest of the file lands just after the first read, and its modification time is
    // put back, which chokidar takes for no change (whole seconds, which utimes sets exactly)
    const file = join(dir, 'a.txt');
    const then = Math.floor(Date.now() / 1000) - 60;
    const reads: (string | undefined)[] = [];
    await watching(
      async (f) => {
        reads.push(await read(f));
        if (reads.length > 1) return;
        writeFileSync(f, 'first half, second half');
        utimesSync(f, then + 30, then);
      },
      { settleMs: 50, rescanMs: 300 },
    );

    // Act
    writeFileSync(file, 'first half');
    utimesSync(file, then, then);
    await until(() => reads.length >= 2);

    // Assess
    expect(reads).toEqual(['first half', 'first half, second half']);
    expect(readFileSync(file, 'utf8')).toBe('first half, second half');
    expect(errors).toEqual([]);
  });

  it('never overlaps two reports of one file, so the newer read is the later one', async () => {
    // Prepare: the first report is held until the file has changed again
    const file = join(dir, 'b.txt');
    const reads: (string | undefined)[] = [];
    let inside = 0;
    let most = 0;
    // The first report has read the file (not only begun): the next write must come after that read.
    let firstRead = false;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await watching(
      async (f) => {
        inside++;
        most = Math.max(most, inside);
        const body = await read(f);
        if (reads.length === 0) {
          firstRead = true;
          await held;
        }
        reads.push(body);
        inside--;
      },
      { settleMs: 50, rescanMs: 60_000 },
    );

    // Act
    await writeFile(file, 'one');
    await until(() => firstRead);
    await writeFile(file, 'two');
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await until(() => reads.length === 2);

    // Assess
    expect(reads).toEqual(['one', 'two']);
    expect(most).toBe(1);
  });

  it('makes a failed report again at the next rescan, for a file written and for one deleted', async () => {
    // Prepare: the first report of each file fails, as an upload to a busy server may
    const written = join(dir, 'c.txt');
    const deleted = join(dir, 'd.txt');
    await writeFile(deleted, 'to be deleted');
    const calls: string[] = [];
    await watching(
      async (f) => {
        calls.push(f);
        if (calls.filter((c) => c === f).length === 1) throw new Error(`upload of ${f} failed`);
      },
      { settleMs: 50, rescanMs: 300 },
    );

    // Act
    await writeFile(written, 'written');
    await rm(deleted);
    await until(() => calls.length >= 4);

    // Assess
    expect(calls.filter((c) => c === written)).toHaveLength(2);
    expect(calls.filter((c) => c === deleted)).toHaveLength(2);
    expect(errors.map(String).sort()).toEqual([
      `Error: upload of ${written} failed`,
      `Error: upload of ${deleted} failed`,
    ]);
  });
});
