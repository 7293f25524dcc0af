import { type ExecFileException, execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProgress } from '../../cli/progress.js';
import { type Embedded, startEmbedded } from '../../local/embedded.js';
import { makeSeed } from '../support/seeds.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/seedfeed.mjs');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real executable in a child process with a minimal environment: no AWS profile, SEEDFEED_* setting
 * or instance metadata lookup from the machine running the tests can leak in.
 */
function runCli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env = {
    ...extraEnv,
    PATH: process.env.PATH ?? '',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(ROOT, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ROOT, 'no-such-aws-credentials'),
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: 30_000 },
      (error: ExecFileException | null, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

const temporary: string[] = [];

/** A fresh folder holding the given files; names may contain '/' for sub-folders. */
async function seedFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'seedfeed-cli-'));
  temporary.push(dir);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), body);
  }
  return dir;
}

/** A PNG header: NUL bytes within the first dozen, as in any real image. */
const binaryFile = (): Uint8Array =>
  Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

/** A port that was free a moment ago and is closed now: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('seedfeed (the program)', () => {
  it('lists both commands in its help and exits 0', async () => {
    // Act
    const result = await runCli(['--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: seedfeed /);
    expect(result.stdout).toMatch(/^\s+validate \[options\] <paths\.\.\.>/m);
    expect(result.stdout).toMatch(/^\s+publish \[options\] <paths\.\.\.>/m);
  });

  it('prints the version from package.json', async () => {
    // Prepare
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

    // Act
    const result = await runCli(['--version']);

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('exits 2 on usage errors (unknown command or option, missing --bucket, bad numbers or settings, missing path, clashing keys) without a stack trace', async () => {
    // Prepare
    const dir = await seedFolder({ 'a.txt': makeSeed() });
    const twin = await seedFolder({ 'a.txt': makeSeed() });

    // Act
    const results = await Promise.all([
      runCli(['frobnicate']),
      runCli(['publish', dir]),
      runCli(['publish', dir, '--bucket', 'seeds', '--concurrency', '0']),
      runCli(['validate', join(dir, 'missing.txt')]),
      runCli(['publish', dir, twin, '--bucket', 'seeds', '--endpoint', 'http://127.0.0.1:9']),
      runCli(['validate', dir, '--bogus']),
      runCli(['validate', dir], { SEEDFEED_MAX_SEED_BYTES: 'lots' }),
    ]);

    // Assess
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(results[0]?.stderr).toContain("unknown command 'frobnicate'");
    expect(results[1]?.stderr).toContain("required option '-b, --bucket <name>' not specified");
    expect(results[2]?.stderr).toContain('expected a whole number from 1 to 64');
    expect(results[3]?.stderr).toContain(`${join(dir, 'missing.txt')}: no such file or folder`);
    expect(results[4]?.stderr).toContain('would both be uploaded as "a.txt"');
    expect(results[5]?.stderr).toContain("unknown option '--bogus'");
    expect(results[6]?.stderr).toBe(
      'seedfeed: SEEDFEED_MAX_SEED_BYTES must be a whole number from 1024 to 52428800 (got "lots")\n',
    );
    for (const { stderr } of results) expect(stderr).not.toMatch(/^\s+at /m);
  });
});

describe('seedfeed validate', () => {
  it('names each rejected file with its reason and exits 1', async () => {
    // Prepare
    const dir = await seedFolder({
      'good.txt': makeSeed(),
      'empty.txt': '',
      'image.png': binaryFile(),
      // The title on line 2, a blank line 3 where the rule belongs, the body on line 4.
      'no-rule.txt': '<!--1706696101000-->\n[No rule](https://news.example.com/x)\n\n<p>Body.</p>\n',
    });

    // Act
    const result = await runCli(['validate', dir]);

    // Assess
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      `${join(dir, 'empty.txt')}: the file is empty`,
      `${join(dir, 'image.png')}: binary file: it contains NUL bytes`,
      `${join(dir, 'no-rule.txt')}: no rule (------) after the title on line 3`,
      '1 valid, 3 rejected',
    ]);
  });

  it('exits 0 when every seed is valid, skipping hidden and swap files in folders as the runner does', async () => {
    // Prepare
    const dir = await seedFolder({
      'a.txt': makeSeed(),
      'nested/b.txt': makeSeed(),
      '.DS_Store': binaryFile(),
      'nested/.b.txt.swp': '',
    });
    const file = await seedFolder({ 'c.txt': makeSeed() });

    // Act
    const result = await runCli(['validate', dir, join(file, 'c.txt')]);

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: '3 valid, 0 rejected\n' });
  });

  it('applies the Lambda settings from the environment, such as SEEDFEED_MAX_SEED_BYTES', async () => {
    // Prepare
    const dir = await seedFolder({ 'long.txt': makeSeed({ body: `<p>${'x'.repeat(2_000)}</p>` }) });

    // Act
    const [byDefault, limited] = await Promise.all([
      runCli(['validate', dir]),
      runCli(['validate', dir], { SEEDFEED_MAX_SEED_BYTES: '1024' }),
    ]);

    // Assess
    expect(byDefault.code).toBe(0);
    expect(limited.code).toBe(1);
    expect(limited.stdout).toMatch(/long\.txt: the file is \d+ bytes, over the 1024-byte limit\n/);
  });

  it('prints one JSON document with --json', async () => {
    // Prepare
    const dir = await seedFolder({
      'good.txt': makeSeed({ title: 'Good one', stamp: 1_706_696_101_000 }),
      'empty.txt': '',
    });

    // Act
    const result = await runCli(['validate', '--json', dir]);

    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: 1,
      rejected: 1,
      seeds: [
        { file: join(dir, 'empty.txt'), valid: false, problem: 'the file is empty' },
        {
          file: join(dir, 'good.txt'),
          valid: true,
          title: 'Good one',
          link: expect.stringMatching(/^https:\/\/news\.example\.com\//),
          published: '2024-01-31T10:15:01.000Z',
          language: 'en',
        },
      ],
    });
  });
});

describe('seedfeed publish', () => {
  let directory: string;
  let embedded: Embedded;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seedfeed-cli-s3-'));
    embedded = await startEmbedded({ directory, port: 0 });
  });

  afterEach(async () => {
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('uploads a folder under seeds/, prints a line per seed, and the Lambda publishes them', async () => {
    // Prepare
    const one = makeSeed({ title: 'CLI one' });
    const dir = await seedFolder({
      'one.txt': one,
      'nested/two.txt': makeSeed({ title: 'CLI two' }),
      '.hidden': '',
    });

    // Act
    const result = await runCli(['publish', dir, '--bucket', 'seeds', '--endpoint', embedded.endpoint]);
    await embedded.queue.idle();

    // Assess
    expect(result.code).toBe(0);
    expect(lines(result.stdout).sort()).toEqual([
      'uploaded 2, failed 0',
      'uploaded seeds/nested/two.txt',
      'uploaded seeds/one.txt',
    ]);
    expect(result.stdout).not.toContain('\r');
    const keys = (await embedded.seeds.list('seeds/', 10)).map((o) => o.key).sort();
    expect(keys).toEqual(['seeds/nested/two.txt', 'seeds/one.txt']);
    const stored = await embedded.seeds.get('seeds/one.txt');
    expect(new TextDecoder().decode(stored?.body)).toBe(one);
    const head = await embedded.client.send(new HeadObjectCommand({ Bucket: 'seeds', Key: 'seeds/one.txt' }));
    expect(head.ContentType).toBe('text/plain; charset=utf-8');
    const feed = (await (await fetch(new URL('feed.json', embedded.config.publicUrl))).json()) as {
      items: { title: string }[];
    };
    expect(feed.items.map((i) => i.title).sort()).toEqual(['CLI one', 'CLI two']);
  });

  it('uses --prefix and names a single file by its base name', async () => {
    // Prepare
    const dir = await seedFolder({ 'deep/down/solo.txt': makeSeed() });

    // Act
    const result = await runCli([
      'publish',
      join(dir, 'deep/down/solo.txt'),
      '--bucket',
      'seeds',
      '--endpoint',
      embedded.endpoint,
      '--prefix',
      'other/',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual(['uploaded other/solo.txt', 'uploaded 1, failed 0']);
    expect((await embedded.seeds.list('other/', 10)).map((o) => o.key)).toEqual(['other/solo.txt']);
  });

  it('with --validate, skips and reports seeds the Lambda would reject, and exits 1', async () => {
    // Prepare
    const dir = await seedFolder({ 'good.txt': makeSeed(), 'empty.txt': '' });

    // Act
    const result = await runCli([
      'publish',
      dir,
      '-b',
      'seeds',
      '--endpoint',
      embedded.endpoint,
      '--validate',
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain('uploaded 1, failed 0, skipped 1');
    expect(result.stderr).toContain(`  skipped ${join(dir, 'empty.txt')}: the file is empty`);
    expect((await embedded.seeds.list('seeds/', 10)).map((o) => o.key)).toEqual(['seeds/good.txt']);
  });

  it('reports each failed upload with its reason and exits 1 when the endpoint refuses connections', async () => {
    // Prepare
    const dir = await seedFolder({ 'a.txt': makeSeed(), 'b.txt': makeSeed() });
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const result = await runCli(['publish', dir, '-b', 'seeds', '--endpoint', endpoint, '--retries', '1']);

    // Assess
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain('uploaded 0, failed 2');
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^ {2}failed seeds\/a\.txt: .*ECONNREFUSED.* \(2 attempts\)$/),
      expect.stringMatching(/^ {2}failed seeds\/b\.txt: .*ECONNREFUSED.* \(2 attempts\)$/),
    ]);
  });
});

describe('the progress bar', () => {
  it('redraws one line on a terminal and ends it when done', () => {
    // Prepare
    const written: string[] = [];
    const progress = createProgress({ isTTY: true, write: (text: string) => written.push(text) }, 4);

    // Act
    progress.uploaded('seeds/a.txt');
    progress.failed('seeds/b.txt', 'refused');
    progress.skipped('c.txt', 'the file is empty');
    progress.done();

    // Assess
    const output = written.join('');
    expect(output.split('\r').at(-1)).toBe('[#######################.......] 3/4 (1 failed, 1 skipped)\n');
    expect(output).not.toContain('seeds/a.txt');
    expect(output.match(/\n/g)).toHaveLength(1);
  });

  it('writes one plain line per seed elsewhere', () => {
    // Prepare
    const written: string[] = [];
    const progress = createProgress({ isTTY: false, write: (text: string) => written.push(text) }, 2);

    // Act
    progress.uploaded('seeds/a.txt');
    progress.failed('seeds/b.txt', 'refused');
    progress.done();

    // Assess
    expect(written.join('')).toBe('uploaded seeds/a.txt\nfailed seeds/b.txt: refused\n');
  });
});
