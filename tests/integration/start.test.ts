import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSeedFiles } from '../../cli/seed-files.js';
import { MAIN_VIEW_FILES } from '../support/feeds.js';
import { startPipeline } from '../support/pipeline.js';
import { makeSeed, REAL_SEED_FILE } from '../support/seeds.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = join(ROOT, 'local/start.ts');
// As `npm start` runs it: one process. The tsx launcher would be a second one that relays Ctrl-C and
// kills the program if it does not acknowledge the signal within 30 ms, as on a busy machine.
const NODE = [process.execPath, '--import', 'tsx', START] as const;
const CLI = join(ROOT, 'bin/seedfeed.mjs');
const run = promisify(execFile);

/** Polls until `check` passes or the deadline ends, then gives its last answer. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** npm start's program in a child process, to its end; SEEDFEED_* and PORT come only from `env`. */
async function start(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SEEDFEED_') && name !== 'PORT'),
  );
  try {
    const { stdout, stderr } = await run(NODE[0], [...NODE.slice(1), ...args], {
      cwd: ROOT,
      env: { ...clean, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A port held by another listener for as long as the test needs it busy. */
async function busyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return { port: address.port, server };
}

/** A running `npm start` on a free port, watching `seeds`; resolves once it says it is watching. */
async function serve(
  seeds: string | undefined,
  data: string,
): Promise<{ child: ChildProcess; feeds: string; output: () => string }> {
  const folder = seeds === undefined ? [] : ['--seeds', seeds];
  const child = spawn(NODE[0], [...NODE.slice(1), ...folder, '--data', data, '--port', '0'], { cwd: ROOT });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = await eventually(
    async () => output,
    (text) => text.includes('Watching') || child.exitCode !== null,
  );
  const feeds = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/feeds\/)$/m.exec(ready)?.[1];
  if (!feeds) throw new Error(`npm start did not print its feeds:\n${ready}`);
  return { child, feeds, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

/** The titles in the running server's feed.json, sorted. */
async function titles(feeds: string): Promise<string[]> {
  const body = (await (await fetch(`${feeds}feed.json`)).json()) as { items: { title: string }[] };
  return body.items.map((i) => i.title).sort();
}

describe('npm start', () => {
  let dir: string;
  let seeds: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfeed-start-'));
    seeds = join(dir, 'seeds');
    await mkdir(seeds);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('--once publishes a folder on a free port, writes files linking to SEEDFEED_PUBLIC_URL, reports rejections', async () => {
    // Prepare: PORT (npm start's default port) is taken, as by a running npm start
    const out = join(dir, 'out');
    await copyFile(join(ROOT, 'seeds', REAL_SEED_FILE), join(seeds, REAL_SEED_FILE));
    await writeFile(join(seeds, 'empty.txt'), '');
    const busy = await busyPort();

    // Act
    const result = await start(['--seeds', seeds, '--once', '--out', out], {
      PORT: String(busy.port),
      SEEDFEED_PUBLIC_URL: 'https://news.example.org/feeds/',
    }).finally(() => busy.server.close());

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('published 1, rejected 1');
    expect(result.stdout).toContain('rejected seeds/empty.txt: the file is empty');
    expect((await readdir(out)).sort()).toEqual([...MAIN_VIEW_FILES]);
    const rss = await readFile(join(out, 'rss.xml'), 'utf8');
    expect(rss).toContain('中美禁毒合作工作组称正式启动');
    expect(rss).toContain('<atom:link href="https://news.example.org/feeds/rss.xml" rel="self"');
    expect(rss).not.toContain('127.0.0.1');
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain(
      'href="https://news.example.org/feeds/atom.xml"',
    );
  });

  it('--once without SEEDFEED_PUBLIC_URL says that the links end with the run', async () => {
    // Act
    await writeFile(join(seeds, 'a.txt'), makeSeed({ title: 'A' }));
    const result = await start(['--seeds', seeds, '--once', '--out', join(dir, 'out')]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /the files link to http:\/\/127\.0\.0\.1:\d+\/feeds\/, which ends with this run/,
    );
  });

  it('answers each user error with one line on stderr and exit code 2, no stack trace', async () => {
    // Prepare
    const busy = await busyPort();
    const data = join(dir, 'data');

    // Act
    const results = await Promise.all([
      start(['--seeds', seeds, '--bogus']),
      start(['--seeds', seeds, '--data', data, '--port', String(busy.port)]),
      start(['--seeds', seeds, '--data', data, '--port', 'x']),
      start(['--seeds', seeds, '--once']),
      start(['--seeds', join(dir, 'missing')]),
      start(['--seeds', seeds, '--once', '--out', join(dir, 'out')], { SEEDFEED_ITEMS_PER_FEED: 'many' }),
    ]).finally(() => busy.server.close());

    // Assess
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    const messages = results.map((r) => r.stderr);
    expect(messages[0]).toContain("npm start: Unknown option '--bogus'");
    expect(messages[0]).toContain('--help');
    expect(messages[1]).toContain(`npm start: port ${busy.port} is in use`);
    expect(messages[1]).toContain('--port');
    expect(messages[2]).toContain('npm start: --port x is not a port number');
    expect(messages[3]).toContain('npm start: --once needs --out DIR');
    expect(messages[4]).toContain('does not exist');
    expect(messages[5]).toContain(
      'SEEDFEED_ITEMS_PER_FEED must be a whole number from 1 to 900 (got "many")',
    );
    for (const message of messages) {
      expect(message).not.toMatch(/^\s+at /m);
      expect(message.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    }
  });

  it('publishes the real seed and the demo by default, with the demo category’s feed and images', async () => {
    // Prepare: what seeds/ holds, read from its files
    const files = await listSeedFiles(join(ROOT, 'seeds'));
    const links = await Promise.all(
      files.map(async (file) => /^\[(.+)\]\((.+)\)$/m.exec(await readFile(file, 'utf8'))),
    );
    const all = links.map((link) => link?.[1] ?? '').sort();
    const science = links.filter((link) => new URL(link?.[2] ?? 'x:').pathname.startsWith('/science/'));
    const demo = files.filter((file) => file.includes('/seeds/demo/'));

    // Act: no --seeds
    const server = await serve(undefined, join(dir, 'data'));
    children.push(server.child);
    const category = await titles(`${server.feeds}categories/science/`);
    const feed = (await (await fetch(`${server.feeds}feed.json`)).json()) as {
      items: { image?: string }[];
    };
    const images = new Set(
      feed.items
        .flatMap((item) => (item.image ? [new URL(item.image).pathname] : []))
        .filter((path) => path.startsWith('/demo-images/')),
    );
    const served = await Promise.all(
      [...images].map(async (path) => (await fetch(new URL(path, server.feeds))).status),
    );

    // Assess
    expect(demo.length).toBeGreaterThan(0);
    expect(await titles(server.feeds)).toEqual(all);
    expect(science.length).toBeGreaterThan(0);
    expect(category).toEqual(science.map((link) => link?.[1]).sort());
    expect(images.size).toBe(demo.length);
    expect(served).toEqual([...images].map(() => 200));
    expect(await stop(server.child)).toBe(0);
  });

  it('follows rename-style saves, deletes, new folders and bulk copies, and stops on Ctrl-C', async () => {
    // Prepare
    await writeFile(join(seeds, 'first.txt'), makeSeed({ title: 'First' }));
    const server = await serve(seeds, join(dir, 'data'));
    children.push(server.child);
    // Waits for the feed to show exactly `want`; a failure shows what npm start printed.
    const shows = async (want: string[]) => {
      const sorted = [...want].sort();
      const got = await eventually(
        () => titles(server.feeds),
        (titles) => titles.join('|') === sorted.join('|'),
      );
      expect(got, server.output()).toEqual(sorted);
    };

    // Act / Assess: the folder as it was at start, published before npm start says it is watching
    expect(await titles(server.feeds)).toEqual(['First']);

    // Act / Assess: `sed -i` writes a temporary file and renames it over the seed, again and again
    const first = join(seeds, 'first.txt');
    for (const edit of ['First, sed 1', 'First, sed 2', 'First, sed 3']) {
      await run('sed', ['-i', `s/^\\[[^]]*\\]/[${edit}]/`, first]);
      await shows([edit]);
    }

    // Act / Assess: an editor's save (temporary file, then rename), then a plain write of the same file
    await writeFile(join(seeds, '.first.txt.swp'), makeSeed({ title: 'First, editor' }));
    await rename(join(seeds, '.first.txt.swp'), first);
    await shows(['First, editor']);
    await writeFile(first, makeSeed({ title: 'First, written' }));
    await shows(['First, written']);

    // Act / Assess: a new folder with a seed, and a bulk copy of a folder of twenty
    await mkdir(join(seeds, 'new', 'deeper'), { recursive: true });
    await writeFile(join(seeds, 'new', 'deeper', 'n.txt'), makeSeed({ title: 'Nested' }));
    const bulk = join(dir, 'bulk');
    await mkdir(bulk);
    const copied = Array.from({ length: 20 }, (_, i) => `Bulk ${String(i).padStart(2, '0')}`);
    for (const [i, title] of copied.entries()) await writeFile(join(bulk, `${i}.txt`), makeSeed({ title }));
    await run('cp', ['-r', bulk, join(seeds, 'bulk')]);
    await shows(['First, written', 'Nested', ...copied]);

    // Act / Assess: deleting the renamed-over file, and a whole folder
    await unlink(first);
    await rm(join(seeds, 'bulk'), { recursive: true });
    await shows(['Nested']);

    // Act / Assess: Ctrl-C
    expect(await stop(server.child)).toBe(0);
  });

  it('on restart removes the seeds whose file is gone, and keeps those sent with seedfeed publish', async () => {
    // Prepare: a first run publishes the folder; the CLI sends one more seed to the same server
    const data = join(dir, 'data');
    await writeFile(join(seeds, 'kept.txt'), makeSeed({ title: 'Kept file' }));
    await writeFile(join(seeds, 'gone.txt'), makeSeed({ title: 'Gone file' }));
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, 'sent.txt'), makeSeed({ title: 'Sent by the CLI' }));
    const first = await serve(seeds, data);
    children.push(first.child);
    const endpoint = new URL(first.feeds).origin;
    await run(process.execPath, [CLI, 'publish', elsewhere, '--bucket', 'seeds', '--endpoint', endpoint], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    });
    const before = await eventually(
      () => titles(first.feeds),
      (t) => t.length === 3,
    );
    expect(await stop(first.child)).toBe(0);

    // Act: the folder loses a file while nothing watches it, then npm start runs again
    await unlink(join(seeds, 'gone.txt'));
    const second = await serve(seeds, data);
    children.push(second.child);

    // Assess
    expect(before).toEqual(['Gone file', 'Kept file', 'Sent by the CLI']);
    expect(second.output()).toContain('seeds: 0 uploaded, 1 removed, 1 unchanged');
    expect(second.output()).toContain('kept 1 seed(s)');
    expect(
      await eventually(
        () => titles(second.feeds),
        (t) => t.length === 2,
      ),
    ).toEqual(['Kept file', 'Sent by the CLI']);
    expect(await stop(second.child)).toBe(0);
  });
});

describe('the local server, read by a browser', () => {
  it('answers folders with their index.html and unknown paths with an HTML 404, leaving S3 calls alone', async () => {
    // Prepare
    const pipeline = await startPipeline({ SEEDFEED_CATEGORY_FEEDS: 'true' });
    try {
      await pipeline.publish({
        'a.txt': makeSeed({ title: 'Browsed', url: 'https://news.example.com/world/a' }),
      });
      const root = pipeline.config.publicUrl;
      const read = async (url: string, method = 'GET') => {
        const response = await fetch(url, { method, redirect: 'manual' });
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          location: response.headers.get('location'),
          body: await response.text(),
        };
      };
      const [image] = await readdir(join(ROOT, 'local/demo-images'));

      // Act
      const home = await read(root);
      const index = await read(`${root}index.html`);
      const category = await read(`${root}categories/world/`);
      const head = await read(root, 'HEAD');
      const missing = await Promise.all(
        ['nope.xml', 'categories/nope/', 'categories/world/nope'].map((path) => read(`${root}${path}`)),
      );
      const outside = await read(`${pipeline.endpoint}/elsewhere/x`);
      const bare = await read(pipeline.endpoint);
      const picture = await read(`${pipeline.endpoint}/demo-images/${image}`);
      const listed = await pipeline.feeds.list('', 100);

      // Assess
      expect(home).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
      expect(home.body).toBe(index.body);
      expect(home.body).toContain('Browsed');
      expect(category.status).toBe(200);
      expect(category.body).toContain('<title>');
      expect(category.body).not.toBe(home.body);
      expect(head).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
      for (const page of [...missing, outside]) {
        expect(page).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
        expect(page.body).toContain('<h1>Not found</h1>');
        expect(page.body).not.toContain('NoSuchKey');
      }
      expect(bare).toMatchObject({ status: 302, location: '/feeds/' });
      expect(picture).toMatchObject({ status: 200, type: 'image/svg+xml' });
      expect(listed.map((o) => o.key)).toContain('index.html');
    } finally {
      await pipeline.dispose();
    }
  });
});
