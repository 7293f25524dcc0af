import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { keyFor } from '../cli/seed-files.js';
import { ConfigError } from '../lambdas/seedfeed/core/errors.js';
import { type Scheduled, scheduledSeeds } from '../lambdas/seedfeed/publish/embargo.js';
import { StateKeys } from '../lambdas/seedfeed/publish/keys.js';
import type { SeedOutcome } from '../lambdas/seedfeed/publish/sync.js';
import { consoleLog } from './console-log.js';
import { type Embedded, type EmbeddedOptions, ListenError, startEmbedded } from './embedded.js';
import { FolderTarget, syncFolder } from './sync-folder.js';
import { watchFolder } from './watch-folder.js';

const USAGE = `Usage: npm start -- [--seeds DIR] [--port N] [--data DIR] [--once --out DIR]

  --seeds DIR   folder of seeds to publish (default: seeds, which holds a demo in seeds/demo/)
  --port N      port of the embedded S3 server (default: 4569, or PORT; 0 picks a free one;
                with --once a free one unless given)
  --data DIR    where the embedded server keeps its buckets (default: .data/s3)
  --once        publish the folder, copy the public files to --out, print a summary and exit;
                the files link to SEEDFEED_PUBLIC_URL when it is set (where --out will be served)
  --out DIR     with --once: where the feeds are written
  --help        this text

Feed settings come from SEEDFEED_* environment variables (see README, "Configuration");
without --once, SEEDFEED_CATEGORY_FEEDS is on unless it is set.`;

/** A mistake in how the program was called: one message, exit code 2, no stack trace. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Options {
  seedsDir: string;
  dataDir: string;
  port: number;
  once: boolean;
  outDir: string;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = (() => {
    try {
      return parseArgs({
        args: argv,
        options: {
          seeds: { type: 'string', default: 'seeds' },
          port: { type: 'string' },
          data: { type: 'string', default: '.data/s3' },
          once: { type: 'boolean', default: false },
          out: { type: 'string' },
          help: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for the user's own mistakes.
      throw new UsageError(`${(error as Error).message}\n(npm start -- --help lists the options)`);
    }
  })();
  if (values.help) return 'help';
  if (values.once && !values.out) throw new UsageError('--once needs --out DIR');
  if (!values.once && values.out) throw new UsageError('--out works with --once only');
  // A one-shot run must not collide with a running npm start, so it takes a free port unless told.
  const rawPort = values.port ?? (values.once ? '0' : (process.env.PORT ?? '4569'));
  const port = Number(rawPort);
  if (rawPort.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `${values.port === undefined ? 'PORT=' : '--port '}${rawPort} is not a port number (0 to 65535)`,
    );
  return {
    seedsDir: resolve(values.seeds),
    dataDir: resolve(values.data),
    port,
    once: values.once,
    outDir: resolve(values.out ?? '.'),
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const info = await stat(options.seedsDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`seeds folder ${options.seedsDir} does not exist`);
  return options.once ? once(options) : serve(options);
}

/** The embedded server, with the user's mistakes (a bad setting, a busy port) as usage errors. */
async function open(options: EmbeddedOptions): Promise<Embedded> {
  try {
    return await startEmbedded(options);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    if (error instanceof ListenError && error.code === 'EADDRINUSE')
      throw new UsageError(
        `port ${error.port} is in use (another npm start?); choose another with --port N, or --port 0 for a free one`,
      );
    if (error instanceof ListenError && error.code === 'EACCES')
      throw new UsageError(`port ${error.port} needs privileges; choose one above 1023 with --port N`);
    throw error;
  }
}

const target = (embedded: Embedded) =>
  new FolderTarget(embedded.seeds, embedded.client, embedded.config.seedsPrefix);

/** Publish a folder from scratch, copy the public files out, report, and stop. */
async function once(options: Options): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-'));
  try {
    const publicUrl = process.env.SEEDFEED_PUBLIC_URL?.trim() || undefined;
    const embedded = await open({
      directory,
      port: options.port,
      env: process.env,
      // Rejections are in the summary; warnings would repeat them.
      log: consoleLog('error'),
      publicUrl,
    });
    try {
      await syncFolder(options.seedsDir, target(embedded));
      await embedded.queue.idle();
      const written = await copyPublic(embedded, options.outDir);
      const { config } = embedded;
      const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
      report(latestOutcomes(embedded), await scheduledSeeds(embedded.seeds, keys, new Date()), written);
      if (!publicUrl)
        console.log(
          `  the files link to ${embedded.config.publicUrl}, which ends with this run; set SEEDFEED_PUBLIC_URL to where ${options.outDir} will be served`,
        );
      const failed = embedded.queue.deadLetters.length;
      if (failed > 0) console.error(`${failed} event(s) could not be processed; see the errors above`);
      return failed > 0 || written.length === 0 ? 1 : 0;
    } finally {
      await embedded.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function report(outcomes: SeedOutcome[], scheduled: Scheduled[], written: string[]): void {
  const later = new Set(scheduled.map((s) => s.seedKey));
  const published = outcomes.filter((o) => o.status === 'published' && !later.has(o.seedKey));
  const rejected = outcomes.filter((o) => o.status === 'rejected');
  console.log(`published ${published.length}, rejected ${rejected.length}, scheduled ${scheduled.length}`);
  for (const s of scheduled) console.log(`  scheduled ${s.seedKey} for ${s.due}`);
  for (const o of rejected) if (o.status === 'rejected') console.log(`  rejected ${o.reason}`);
  for (const file of written) console.log(`  wrote ${file}`);
}

/** Publish the folder, print the URLs, and keep publishing whatever changes in it until Ctrl-C. */
async function serve(options: Options): Promise<number> {
  await mkdir(options.dataDir, { recursive: true });
  const embedded = await open({
    directory: options.dataDir,
    port: options.port,
    // The demo in seeds/demo/ has a category; watching shows its feeds unless told otherwise.
    env: { SEEDFEED_CATEGORY_FEEDS: 'true', ...process.env },
    log: consoleLog('info'),
    // Embargoed seeds are published when due, as the stack's sweep does.
    sweeps: true,
  });
  const folder = target(embedded);
  // Watching starts before the first sync, so nothing changed meanwhile is missed; what it sees waits
  // for the sync, so that the newer upload of a file edited meanwhile is the later one.
  let syncDone = () => {};
  const sync = new Promise<void>((resolve) => {
    syncDone = resolve;
  });
  const watch = watchFolder(
    options.seedsDir,
    (file) => sync.then(() => publishChange(options.seedsDir, file, folder)),
    (error) => console.error(error instanceof Error ? error.message : String(error)),
  );
  await watch.ready;
  const synced = await syncFolder(options.seedsDir, folder).finally(syncDone);
  console.log(
    `seeds: ${synced.uploaded.length} uploaded, ${synced.deleted.length} removed, ${synced.unchanged.length} unchanged`,
  );
  if (synced.kept.length > 0)
    console.log(
      `  kept ${synced.kept.length} seed(s) not in ${options.seedsDir} that were sent another way (seedfeed publish); only seeds the folder uploaded are removed with their file`,
    );
  await embedded.queue.idle();
  const base = embedded.config.publicUrl;
  console.log(`\nFeeds (served by the embedded S3 server at ${embedded.endpoint}):`);
  for (const file of ['', 'rss.xml', 'atom.xml', 'feed.json']) console.log(`  ${base}${file}`);
  if (process.env.SEEDFEED_PUBLIC_URL)
    console.log('  (SEEDFEED_PUBLIC_URL applies to --once only; these feeds link to this server)');
  console.log(`\nWatching ${options.seedsDir} for changes; Ctrl-C to stop.`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  console.log('\nstopping…');
  await watch.close();
  await Promise.race([embedded.queue.idle(), new Promise((r) => setTimeout(r, 5_000))]);
  await embedded.close();
  return 0;
}

/** The file was added, changed or removed: make its key match it. */
async function publishChange(dir: string, file: string, folder: FolderTarget): Promise<void> {
  const key = keyFor(dir, file, folder.prefix);
  try {
    const body = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (body) await folder.put(key, body);
    else await folder.deleteOwn(key);
  } catch (error) {
    throw new Error(`could not publish ${file} (tried again shortly): ${String(error)}`, { cause: error });
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`npm start: ${error.message}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
