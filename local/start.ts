import { type FSWatcher, watch } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SeedOutcome } from '../lambdas/seedfeed/publish/sync.js';
import { consoleLog } from './console-log.js';
import { type Embedded, startEmbedded } from './embedded.js';
import { isSeedFile, keyFor, syncFolder } from './sync-folder.js';

const USAGE = `Usage: npm start -- [--seeds DIR] [--port N] [--data DIR] [--once --out DIR]

  --seeds DIR   folder of seeds to publish (default: seeds)
  --port N      port of the embedded S3 server (default: 4569; 0 picks a free one)
  --data DIR    where the embedded server keeps its buckets (default: .data/s3)
  --once        publish the folder, copy the public files to --out, print a summary and exit
  --out DIR     with --once: where the feeds are written
  --help        this text

Feed settings come from SEEDFEED_* environment variables (see README, "Configuration").`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: 'seeds' },
      port: { type: 'string', default: process.env.PORT ?? '4569' },
      data: { type: 'string', default: '.data/s3' },
      once: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seedsDir = resolve(values.seeds);
  await access(seedsDir).catch(() => {
    throw new UsageError(`seeds folder ${seedsDir} does not exist`);
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port} is not a port`);
  if (values.once && !values.out) throw new UsageError('--once needs --out DIR');
  return values.once
    ? once(seedsDir, resolve(values.out ?? ''), port)
    : serve(seedsDir, resolve(values.data), port);
}

/** Publish a folder from scratch, copy the public files out, report, and stop. */
async function once(seedsDir: string, outDir: string, port: number): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-'));
  const embedded = await startEmbedded({ directory, port, env: process.env, log: consoleLog('warn') });
  try {
    await syncFolder(seedsDir, embedded.seeds, embedded.config.seedsPrefix);
    await embedded.queue.idle();
    const written = await copyPublic(embedded, outDir);
    const outcomes = latestOutcomes(embedded);
    const published = outcomes.filter((o) => o.status === 'published');
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    console.log(`published ${published.length}, rejected ${rejected.length}`);
    for (const o of rejected) if (o.status === 'rejected') console.log(`  rejected ${o.reason}`);
    for (const file of written) console.log(`  wrote ${file}`);
    const failed = embedded.queue.deadLetters.length;
    if (failed > 0) console.error(`${failed} event(s) could not be processed; see the errors above`);
    return failed > 0 || written.length === 0 ? 1 : 0;
  } finally {
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Publish the folder, print the URLs, and keep publishing whatever changes in it until Ctrl-C. */
async function serve(seedsDir: string, dataDir: string, port: number): Promise<number> {
  await mkdir(dataDir, { recursive: true });
  const embedded = await startEmbedded({
    directory: dataDir,
    port,
    env: process.env,
    log: consoleLog('info'),
  });
  const synced = await syncFolder(seedsDir, embedded.seeds, embedded.config.seedsPrefix);
  console.log(
    `seeds: ${synced.uploaded.length} uploaded, ${synced.deleted.length} removed, ${synced.unchanged.length} unchanged`,
  );
  await embedded.queue.idle();
  const base = embedded.config.publicUrl;
  console.log(`\nFeeds (served by the embedded S3 server at ${embedded.endpoint}):`);
  for (const file of ['index.html', 'rss.xml', 'atom.xml', 'feed.json']) console.log(`  ${base}${file}`);
  console.log(`\nWatching ${seedsDir} for changes; Ctrl-C to stop.`);
  const watcher = watchFolder(seedsDir, embedded);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  watcher.close();
  console.log('\nstopping…');
  await Promise.race([embedded.queue.idle(), new Promise((r) => setTimeout(r, 5_000))]);
  await embedded.close();
  return 0;
}

function watchFolder(dir: string, embedded: Embedded): FSWatcher {
  const pending = new Map<string, NodeJS.Timeout>();
  // Editors write a file in several steps; acting 150 ms after the last change publishes it once.
  return watch(dir, { recursive: true }, (_type, name) => {
    if (!name || !isSeedFile(name)) return;
    const file = join(dir, name);
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        void publishChange(dir, file, embedded);
      }, 150),
    );
  });
}

async function publishChange(dir: string, file: string, embedded: Embedded): Promise<void> {
  const key = keyFor(dir, file, embedded.config.seedsPrefix);
  try {
    const body = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (body) await embedded.seeds.put(key, body, { contentType: 'text/plain; charset=utf-8' });
    else await embedded.seeds.delete(key);
  } catch (error) {
    console.error(`could not publish ${file}: ${String(error)}`);
  }
}

async function copyPublic(embedded: Embedded, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const objects = await embedded.feeds.list('', 100_000);
  const written: string[] = [];
  for (const { key } of objects) {
    const object = await embedded.feeds.get(key);
    if (!object) continue;
    const target = join(outDir, ...key.split('/'));
    if (!resolve(target).startsWith(`${outDir}`)) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, object.body);
    written.push(target);
  }
  return written;
}

/** The last outcome of each seed over every batch: a seed retried or updated counts once. */
function latestOutcomes(embedded: Embedded): SeedOutcome[] {
  const byKey = new Map<string, SeedOutcome>();
  for (const result of embedded.queue.results) for (const o of result.outcomes) byKey.set(o.seedKey, o);
  return [...byKey.values()].sort((a, b) => a.seedKey.localeCompare(b.seedKey));
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
