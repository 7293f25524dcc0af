import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSeed } from '../support/seeds.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// One process, as npm start runs it (see start.test.ts).
const PROGRAM = ['--import', 'tsx', join(ROOT, 'local/start.ts')];
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('SEEDFEED_') && name !== 'PORT'),
);

const LATER = 'https://news.example.com/world/embargoed';

describe('npm start with an embargoed seed', () => {
  let dir: string;
  let seeds: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfeed-embargo-'));
    seeds = join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(
      join(seeds, 'now.txt'),
      makeSeed({ url: 'https://news.example.com/world/now', stamp: Date.now() }),
    );
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('--once lists it with its due time in the summary, and publishes it nowhere', async () => {
    // Prepare
    const due = new Date(Date.now() + 7 * 86_400_000);
    await writeFile(join(seeds, 'later.txt'), makeSeed({ url: LATER, stamp: due.getTime() }));
    const out = join(dir, 'out');

    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...PROGRAM, '--seeds', seeds, '--once', '--out', out],
      { cwd: ROOT, env: ENV },
    );

    // Assess
    expect(stdout).toContain('published 1, rejected 0, scheduled 1');
    expect(stdout).toContain(`  scheduled seeds/later.txt for ${due.toISOString()}`);
    expect(await readFile(join(out, 'feed.json'), 'utf8')).not.toContain(LATER);
  });

  it('publishes it when its time comes, with no change to the folder, never before', async () => {
    // Prepare: far enough ahead that the start-up's own render comes first even on a busy machine.
    const due = Date.now() + 12_000;
    await writeFile(join(seeds, 'later.txt'), makeSeed({ url: LATER, stamp: due }));
    child = spawn(
      process.execPath,
      [...PROGRAM, '--seeds', seeds, '--data', join(dir, 'data'), '--port', '0'],
      {
        cwd: ROOT,
        env: ENV,
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });

    // Act: poll the feed until it shows the seed, noting what each read saw and when.
    const seen: { at: number; shows: boolean }[] = [];
    const deadline = due + 30_000;
    let feeds: string | undefined;
    while (Date.now() < deadline) {
      feeds ??= /^ {2}(http:\/\/127\.0\.0\.1:\d+\/feeds\/)$/m.exec(output)?.[1];
      if (feeds) {
        const body = await (await fetch(`${feeds}feed.json`)).text();
        // Taken once the answer is in: a read dated before the due time was answered before it.
        seen.push({ at: Date.now(), shows: body.includes(LATER) });
        if (body.includes(LATER)) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // Assess
    const before = seen.filter((s) => s.at < due);
    expect(before.length, output).toBeGreaterThan(0);
    expect(before.every((s) => !s.shows)).toBe(true);
    expect(seen.at(-1)?.shows, output).toBe(true);
  }, 60_000);
});
