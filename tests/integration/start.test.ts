import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSeed, REAL_SEED_FILE } from '../support/seeds.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = join(ROOT, 'local/start.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const run = promisify(execFile);

/** Polls until `check` passes or the deadline ends, then gives its last answer. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('npm start', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfeed-start-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--once publishes a folder, copies the public files out, reports rejections and exits 0', async () => {
    // Prepare
    const seeds = join(dir, 'seeds');
    const out = join(dir, 'out');
    await run('mkdir', ['-p', seeds]);
    await copyFile(join(ROOT, 'seeds', REAL_SEED_FILE), join(seeds, REAL_SEED_FILE));
    await writeFile(join(seeds, 'empty.txt'), '');

    // Act
    const { stdout } = await run(TSX, [START, '--seeds', seeds, '--once', '--out', out, '--port', '0'], {
      cwd: ROOT,
    });

    // Assess
    expect(stdout).toContain('published 1, rejected 1');
    expect(stdout).toContain('rejected seeds/empty.txt: the file is empty');
    expect((await readdir(out)).sort()).toEqual(['atom.xml', 'feed.json', 'index.html', 'rss.xml']);
    expect(await readFile(join(out, 'rss.xml'), 'utf8')).toContain('中美禁毒合作工作组称正式启动');
  });

  it('exits 2 with the usage when an option is wrong', async () => {
    const failure = await run(TSX, [START, '--once'], { cwd: ROOT }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--once needs --out DIR');
  });

  describe('watching a folder', () => {
    let child: ChildProcess | undefined;

    afterEach(() => {
      child?.kill('SIGKILL');
    });

    it('prints the feed URLs, publishes files added, changed and removed, and stops on Ctrl-C', async () => {
      // Prepare
      const seeds = join(dir, 'seeds');
      await run('mkdir', ['-p', seeds]);
      await writeFile(join(seeds, 'first.txt'), makeSeed({ title: 'First' }));
      child = spawn(TSX, [START, '--seeds', seeds, '--data', join(dir, 'data'), '--port', '0'], {
        cwd: ROOT,
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const ready = await eventually(
        async () => output,
        (text) => text.includes('Watching'),
      );
      const rssUrl = /(http:\/\/127\.0\.0\.1:\d+\/feeds\/rss\.xml)/.exec(ready)?.[1] ?? '';
      const titles = async () => {
        const body = await (await fetch(rssUrl.replace('rss.xml', 'feed.json'))).text();
        return (JSON.parse(body) as { items: { title: string }[] }).items.map((i) => i.title).sort();
      };

      // Act / Assess: the folder as it was at start
      expect(ready).toMatch(/\/feeds\/index\.html/);
      expect(await titles()).toEqual(['First']);

      // Act / Assess: a file added, then changed
      await writeFile(join(seeds, 'second.txt'), makeSeed({ title: 'Second' }));
      expect(await eventually(titles, (t) => t.includes('Second'))).toEqual(['First', 'Second']);
      await writeFile(join(seeds, 'second.txt'), makeSeed({ title: 'Second, edited' }));
      expect(await eventually(titles, (t) => t.includes('Second, edited'))).toEqual([
        'First',
        'Second, edited',
      ]);

      // Act / Assess: a file removed
      await unlink(join(seeds, 'first.txt'));
      expect(await eventually(titles, (t) => !t.includes('First'))).toEqual(['Second, edited']);

      // Act / Assess: Ctrl-C
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    });
  });
});
