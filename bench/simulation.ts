import { type Config, loadConfig, toEnvironment } from '../lambdas/seedfeed/config.js';
import { type Item, itemIdFor } from '../lambdas/seedfeed/core/item.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import { createHandler } from '../lambdas/seedfeed/handler.js';
import { collectionSettings, collectionsOf } from '../lambdas/seedfeed/publish/collections.js';
import type { Entry } from '../lambdas/seedfeed/publish/entry.js';
import { entryName, StateKeys, versionOf } from '../lambdas/seedfeed/publish/keys.js';
import { renderFeeds } from '../lambdas/seedfeed/render/feeds.js';
import { MAIN_VIEW } from '../lambdas/seedfeed/render/view.js';
import { quietLog } from '../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../local/events.js';
import { BASE_STAMP, generateSeed, realSizedSeed } from './corpus.js';
import { ScaleStore } from './scale-store.js';
import { realSeed } from './settings.js';
import { median, timed } from './stats.js';

export interface SimulatedLevel {
  published: number;
  /** Median requests per upload by S3 request class, and in all. */
  requests: Record<string, number>;
  totalRequests: number;
  /** Median CPU of the handler per upload (this process; the store is a few map operations per call). */
  cpuMs: number;
}

export interface SimulatedScale {
  collections: boolean;
  levels: SimulatedLevel[];
}

const SEEDS = 'seeds';
const FEEDS = 'feeds';
const RUN = 'archive0';
const MINUTE = 60_000;
// A day after the newest archived item: every upload of the simulation is due, and recent news.
const NOW = BASE_STAMP + 86_400_000;
/** The stack's maxReceiveCount before the dead-letter queue (cdk/intake.ts). */
const MAX_RECEIVES = 5;
const CATEGORIES = ['world', 'business', 'sport', 'culture', 'science', 'health', 'tech', 'travel'];

function simulationConfig(collections: boolean): Config {
  return loadConfig({
    ...(collections ? { SEEDFEED_CATEGORY_FEEDS: 'true', SEEDFEED_ARCHIVES: 'true' } : {}),
    ...toEnvironment({ seedsBucket: SEEDS, feedsBucket: FEEDS, publicUrl: 'https://feeds.example.com/' }),
  });
}

/** A function instance on the simulated buckets, its clock the store's. */
function instance(store: ScaleStore, config: Config) {
  return createHandler({
    config,
    seeds: store.bucket(SEEDS),
    feeds: store.bucket(FEEDS),
    log: quietLog,
    clock: () => new Date(store.now),
    // The stack's default memory (cdk/context.ts memorySize), which sizes the render memo.
    memoryMb: 512,
  });
}

/** A small archived item: the records' cost does not depend on what the item says. */
function archivedItem(n: number): Item {
  const link = `https://news.example.com/archive/${n}`;
  return {
    id: itemIdFor(link),
    link,
    title: `Archived story ${n}`,
    published: new Date(BASE_STAMP - (n + 1) * MINUTE).toISOString(),
    summary: `Summary of archived story ${n}.`,
    contentHtml: `<p>Body of archived story ${n}.</p>`,
    language: 'en',
    categories: [CATEGORIES[n % CATEGORIES.length] as string],
  };
}

/**
 * Old items written straight into the records, as the sync writes them (its key functions, its JSON),
 * since parsing a million seeds would take the bench an hour; the measured uploads go through the
 * handler.
 */
async function archive(store: ScaleStore, config: Config, from: number, to: number): Promise<void> {
  const seeds = store.bucket(SEEDS, false);
  const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
  const settings = collectionSettings(config);
  const version = versionOf('1') as string;
  for (let n = from; n < to; n++) {
    const item = archivedItem(n);
    const seedKey = `${config.seedsPrefix}archive/${n}.txt`;
    const uploaded = new Date(BASE_STAMP - (n + 1) * MINUTE);
    const entry: Entry = { seedKey, uploaded: uploaded.toISOString(), item };
    const { name } = entryName(new Date(item.published), item.link, uploaded, seedKey, version, RUN);
    const collections = collectionsOf(item, settings);
    await seeds.put(keys.entry(name), JSON.stringify(entry));
    for (const c of collections) await seeds.put(`${keys.collection(c)}${name}`, '');
    await seeds.put(
      keys.marker(seedKey, { version, run: RUN, kind: 'entry', entry: name }),
      JSON.stringify(collections),
    );
  }
}

/**
 * Requests and handler CPU per upload, one new article per invocation to a warm instance, at each
 * number of items published.
 */
export async function simulateScale(
  levels: readonly number[],
  uploads: number,
  collections: boolean,
): Promise<SimulatedScale> {
  const store = new ScaleStore(NOW);
  const config = simulationConfig(collections);
  const handler = instance(store, config);
  const uploader = store.bucket(SEEDS, false);
  let archived = 0;
  let fresh = 0;
  const out: SimulatedLevel[] = [];
  for (const level of levels) {
    await archive(store, config, archived, level);
    archived = level;
    const runs: { counts: Record<string, number>; cpuMs: number }[] = [];
    // The first upload at each level is a warm-up: the instance reads what the archive added.
    for (let i = 0; i <= uploads; i++) {
      fresh++;
      const seed = generateSeed(2_000_000 + fresh, BASE_STAMP + fresh * 1_000);
      const key = `${config.seedsPrefix}${seed.name}`;
      await uploader.put(key, seed.text);
      store.take();
      const record = s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(store.now));
      const { cpuMs } = await timed(async () => {
        const result = await handler(sqsEvent([sqsMessage(record)]));
        if (result.batchItemFailures.length > 0) throw new Error(`simulated upload ${key} failed`);
      });
      if (i > 0) runs.push({ counts: store.take(), cpuMs });
    }
    const types = [...new Set(runs.flatMap((run) => Object.keys(run.counts)))].sort();
    const requests = Object.fromEntries(types.map((t) => [t, median(runs.map((r) => r.counts[t] ?? 0))]));
    const totals = runs.map((r) => Object.values(r.counts).reduce((a, b) => a + b, 0));
    out.push({
      published: level + fresh,
      requests,
      totalRequests: median(totals),
      cpuMs: median(runs.map((r) => r.cpuMs)),
    });
  }
  return { collections, levels: out };
}

export interface SimulatedBurst {
  seeds: number;
  batchSize: number;
  instances: number;
  /** Invocations, each of which renders the feeds once (batches, and batches delivered again). */
  regenerations: number;
  /** Invocations whose render gave up (the feeds kept changing) and whose batch came back. */
  retried: number;
  /** Messages received the queue's maximum number of times (5): what would reach the dead-letter queue. */
  deadLetters: number;
  /** The live main files equal a render from scratch of the newest items. */
  matchesScratch: boolean;
  wallMs: number;
}

/**
 * A burst of seeds uploaded at once, delivered as Lambda's SQS poller would with the stack's defaults
 * (batches of `batchSize`, at most `instances` invocations at a time): how many renders it costs.
 */
export async function simulateBurst(count: number, batchSize = 10, instances = 5): Promise<SimulatedBurst> {
  // S3's answers in tens of milliseconds, as S3 gives them: in the store's virtual time, they cost the
  // bench no wall time (ScaleStore.withLatency).
  const store = new ScaleStore(NOW).withLatency(10, 60);
  const config = simulationConfig(false);
  const handlers = Array.from({ length: instances }, () => instance(store, config));
  const uploader = store.bucket(SEEDS, false);
  // Real-seed-sized articles (3.4 KB): the burst measures renders, not parsing.
  const seedFor = realSizedSeed(realSeed().toString('utf8'));
  const seeds = Array.from({ length: count }, (_, i) =>
    seedFor(7_000_000 + i, BASE_STAMP - ((i * 7_919) % count) * MINUTE),
  );
  const messages = [];
  for (const seed of seeds) {
    const key = `${config.seedsPrefix}${seed.name}`;
    await uploader.put(key, seed.text);
    messages.push(
      sqsMessage(s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(store.now))),
    );
  }
  // The queue: a message whose batch failed comes back at the end, as after its visibility timeout.
  const queue = messages.map((message) => ({ message, received: 0 }));
  let regenerations = 0;
  let retried = 0;
  let deadLetters = 0;
  const started = performance.now();
  await eachLimited(handlers, instances, async (handler) => {
    for (let batch = queue.splice(0, batchSize); batch.length > 0; batch = queue.splice(0, batchSize)) {
      for (const held of batch) held.received++;
      regenerations++;
      const result = await handler(sqsEvent(batch.map((held) => held.message)));
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      if (failed.size > 0) retried++;
      for (const held of batch) {
        if (!failed.has(held.message.messageId)) continue;
        if (held.received >= MAX_RECEIVES) deadLetters++;
        else queue.push(held);
      }
    }
  });
  const wallMs = performance.now() - started;
  const feeds = store.bucket(FEEDS, false);
  const entries = await scratchItems(store, config);
  const expected = renderFeeds(
    entries,
    { ...config, now: new Date(store.now).toISOString() },
    MAIN_VIEW,
  ).files;
  const live = await Promise.all(expected.map(async (file) => (await feeds.get(file.key))?.body));
  const matchesScratch = expected.every(
    (file, i) => live[i] !== undefined && Buffer.from(live[i] as Uint8Array).equals(file.bytes),
  );
  return { seeds: count, batchSize, instances, regenerations, retried, deadLetters, matchesScratch, wallMs };
}

/** The newest K items as the records hold them: what a render from scratch must show. */
async function scratchItems(store: ScaleStore, config: Config): Promise<Item[]> {
  const seeds = store.bucket(SEEDS, false);
  const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
  const listed = await seeds.list(keys.index, config.itemsPerFeed);
  const items: Item[] = [];
  for (const { key } of listed) {
    const object = await seeds.get(key);
    if (object) items.push((JSON.parse(new TextDecoder().decode(object.body)) as Entry).item);
  }
  return items;
}
