import type { S3EventRecord, SQSEvent } from 'aws-lambda';
import { type Config, loadConfig, toEnvironment } from '../../lambdas/seedfeed/config.js';
import { decodeEvent } from '../../lambdas/seedfeed/events.js';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import { PureMemo } from '../../lambdas/seedfeed/publish/cache.js';
import { collectionSettings } from '../../lambdas/seedfeed/publish/collections.js';
import { StateKeys } from '../../lambdas/seedfeed/publish/keys.js';
import { type SyncContext, syncSeed } from '../../lambdas/seedfeed/publish/sync.js';
import type { Bucket } from '../../lambdas/seedfeed/storage/port.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import type { Build } from './explorer.js';
import { type Call, MemoryStore, writes } from './memory-bucket.js';
import { makeSeed } from './seeds.js';
import { expectFeedsFromScratch, expectRecordsSettled, fromScratch } from './settled.js';

// The end checks live in settled.ts; tests that build their own scenarios take them from here too.
export { expectFeedsFromScratch, expectRecordsSettled } from './settled.js';

/**
 * Scenarios for the explorer: an uploader changes seeds, function instances handle the events through
 * the real handler on in-memory buckets, and the end state is compared with a from-scratch answer.
 */

export type Upload =
  | { seed: string; put: string; afterMs?: number }
  | { seed: string; remove: true; afterMs?: number };

export interface Delivery {
  /** Which instance gets the event: instances keep their warm caches between deliveries. */
  instance: string;
  /** Index into the uploads: the event that upload caused. */
  upload: number;
}

export interface PublishingSpec {
  uploads: Upload[];
  deliveries: Delivery[];
  env?: Record<string, string>;
  /** Only the record phase (syncSeed), no render: for scenarios with more instances. */
  recordsOnly?: boolean;
  /** The render's time (every handler's clock): seeds published after it are embargoed. */
  now?: number;
}

/** A day after the seeds these scenarios publish (2024-01-31), so that all are due and in the sitemap. */
export const RENDER_NOW = Date.UTC(2024, 1, 1);

/**
 * Upload `n` of one article within one second of the others: same link, same publish time, only the
 * title changes, so nothing but the version can tell their records apart (issue 11's lost update).
 */
export function sameSecondVersion(n: number): Upload {
  const put = makeSeed({
    title: `Version ${n}`,
    url: 'https://news.example.com/world/correction',
    stamp: 1_706_696_101_000,
    body: '<p>Text.</p>',
  });
  return { seed: 'story.txt', put, afterMs: 10 };
}

export const SEEDS = 'seeds';
export const FEEDS = 'feeds';

/** A function instance named `name` on the store's buckets, its clock the test's. */
export function instanceOn(store: MemoryStore, config: Config, name: string, clock: () => Date) {
  return createHandler({
    config,
    seeds: store.bucket(SEEDS, name),
    feeds: store.bucket(FEEDS, name),
    log: quietLog,
    clock,
  });
}

/** A public file as text, empty when there is none. */
export function liveText(store: MemoryStore, key: string): string {
  const object = store.objects(FEEDS).get(key);
  return object ? new TextDecoder().decode(object.body) : '';
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    SEEDFEED_ITEMS_PER_FEED: '10',
    ...env,
    ...toEnvironment({ seedsBucket: SEEDS, feedsBucket: FEEDS, publicUrl: 'https://feeds.example.com/' }),
  });
}

// The random tests build thousands of scenarios with the same few settings; their handlers share one
// memo of parses and renders per config, as one instance's invocations do, so that a run's time goes to
// its interleaving and not to the same few parses and renders (it changes no call any handler makes).
const configs = new Map<string, { config: Config; memo: PureMemo }>();

function sharedConfig(env: Record<string, string> = {}): { config: Config; memo: PureMemo } {
  const id = JSON.stringify(env);
  let shared = configs.get(id);
  if (!shared) {
    // Room for every seed version the random histories make (a few thousand small ones).
    shared = { config: testConfig(env), memo: new PureMemo(16_384) };
    configs.set(id, shared);
  }
  return shared;
}

export function publishing(spec: PublishingSpec): Build {
  // Read once: the explorer builds the scenario again for every one of its thousands of runs.
  const { config, memo } = sharedConfig(spec.env);
  // A run makes the same few event records as the run before it (same version, same time): each
  // delivery's message is made once, as SQS would hand the same message to every attempt.
  const messages = new Map<string, SQSEvent>();
  const messageFor = (delivery: number, record: S3EventRecord) => {
    const id = `${delivery} ${record.s3.object.sequencer} ${record.eventTime}`;
    let event = messages.get(id);
    if (!event) {
      event = sqsEvent([sqsMessage(record)]);
      messages.set(id, event);
    }
    return event;
  };
  return (store) => {
    const events = spec.uploads.map(() => deferred<S3EventRecord>());
    const uploader = store.bucket(SEEDS, 'uploader');
    const upload = async () => {
      let now = MemoryStore.EPOCH;
      for (const [n, step] of spec.uploads.entries()) {
        now += step.afterMs ?? 300;
        store.setClock('uploader', now);
        const key = `${config.seedsPrefix}${step.seed}`;
        if ('put' in step) await uploader.put(key, step.put);
        else await uploader.delete(key);
        const change = 'put' in step ? 'created' : 'removed';
        events[n]?.resolve(s3Record(change, SEEDS, key, store.sequencer(SEEDS, key), new Date(now)));
      }
      store.retire('uploader');
    };
    const instances = [...new Set(spec.deliveries.map((d) => d.instance))];
    const actors = instances.map((name) => {
      const handler = spec.recordsOnly
        ? recorder(store.bucket(SEEDS, name), config, runIds(name), memo)
        : createHandler({
            config,
            memo,
            seeds: store.bucket(SEEDS, name),
            feeds: store.bucket(FEEDS, name),
            log: quietLog,
            runId: runIds(name),
            clock: () => new Date(spec.now ?? RENDER_NOW),
          });
      return async () => {
        for (const [n, delivery] of spec.deliveries.entries()) {
          if (delivery.instance !== name) continue;
          const record = await events[delivery.upload]?.promise;
          if (!record) throw new Error(`no upload ${delivery.upload}`);
          // Redelivered until it succeeds, as SQS would; without faults one delivery should do.
          for (let attempt = 1; ; attempt++) {
            const result = await handler(messageFor(n, record));
            if (result.batchItemFailures.length === 0) break;
            if (attempt === 5) throw new Error(`${name} failed 5 times on upload ${delivery.upload}`);
          }
        }
        store.retire(name);
      };
    });
    const watch = new VanishWatch(store, config);
    const uploaded = new Set(spec.uploads.map((step) => `${config.seedsPrefix}${step.seed}`));
    return {
      actors: [upload, ...actors],
      after: (call) => watch.after(call),
      signature: () => watch.signature(),
      check: () => {
        const items = expectRecordsSettled(store, config, uploaded);
        if (!spec.recordsOnly) expectFeedsFromScratch(store, config, items, spec.now ?? RENDER_NOW);
      },
    };
  };
}

/** Run names that replay alike: the instance's letter and a count. */
function runIds(instance: string): () => string {
  let count = 0;
  return () => `${instance.toLowerCase()}${String(count++).padStart(7, '0')}`;
}

/** The record phase alone, as the handler runs it for each seed of a batch. */
function recorder(
  seeds: Bucket,
  config: Config,
  runId: () => string,
  memo: PureMemo,
): (event: SQSEvent) => Promise<{ batchItemFailures: unknown[] }> {
  const ctx: SyncContext = {
    seeds,
    keys: new StateKeys(config.statePrefix, config.rejectedPrefix),
    defaultLanguage: config.language,
    maxSeedBytes: config.maxSeedBytes,
    collections: collectionSettings(config),
    runId,
    parsed: memo.parsed,
  };
  return async (event) => {
    for (const seed of decodeEvent(event).events) await syncSeed(seed.key, seed.version, ctx);
    return { batchItemFailures: [] };
  };
}

/**
 * The watch below reads the seeds when feed.json is written, so for the explorer those calls do not
 * commute with changes of seeds.
 */
export function watchDependent(a: Call, b: Call): boolean {
  const feed = (c: Call) => c.bucket === FEEDS && c.op === 'put' && c.target === 'feed.json';
  const seed = (c: Call) =>
    c.bucket === SEEDS && writes(c) && !c.target.startsWith('state/') && !c.target.startsWith('rejected/');
  return (feed(a) && seed(b)) || (feed(b) && seed(a));
}

/**
 * What the exploration of record and render chooses the order of (tests/records/explorer-render.test.ts):
 * the uploader's changes, every call on the index (the record phase's entries, the render's listings and
 * reads) and on feed.json. Each instance's other calls (its seed's GET, its markers, the warm start,
 * the other public files) run as soon as it makes them.
 */
export function renderChoice(call: Call): boolean {
  if (call.actor === 'uploader') return true;
  if (call.bucket === FEEDS) return call.target === 'feed.json';
  return call.target.startsWith(INDEX);
}

const INDEX = new StateKeys(testConfig().statePrefix, testConfig().rejectedPrefix).index;

/**
 * A stricter watch for scenarios where the newer text, once in the index, is in every listing after
 * (explorer-render.test.ts): once feed.json has shown `newer`, it never shows `older` again, so no
 * render of an older listing is written over one of a newer listing.
 */
export function neverBack(build: Build, older: string, newer: string): Build {
  return (store) => {
    const scenario = build(store);
    let shownNewer = false;
    return {
      ...scenario,
      after(call) {
        scenario.after?.(call);
        if (call.bucket !== FEEDS || call.op !== 'put' || call.target !== 'feed.json') return;
        const live = store.objects(FEEDS).get('feed.json');
        const text = live ? new TextDecoder().decode(live.body) : '';
        if (shownNewer && text.includes(older)) throw new Error(`feed.json went back to ${older}`);
        shownNewer ||= text.includes(newer);
      },
      signature: () => `${scenario.signature?.() ?? ''} ${shownNewer}`,
    };
  };
}

/**
 * Watches every write of feed.json: an item a reader saw must not vanish while a seed carrying its link
 * is still in the bucket, unless a seed that carried the link was deleted or moved to another link
 * meanwhile, or the seed carrying it was once deleted or moved (see seedChanged).
 */
class VanishWatch {
  private shown = new Set<string>();
  private readonly disturbed = new Set<string>();
  private readonly deletedKeys = new Set<string>();
  private readonly keys = new Set<string>();
  private links = new Map<string, string>();
  /** When each published link was published: an item with a feed's worth of newer ones may go. */
  private times = new Map<string, number>();

  constructor(
    private readonly store: MemoryStore,
    private readonly config: Config,
  ) {}

  signature(): string {
    return [this.shown, this.disturbed, this.deletedKeys].map((set) => [...set].sort().join(' ')).join(' / ');
  }

  after(call: Call): void {
    if (call.bucket === SEEDS && call.actor === 'uploader') {
      this.seedChanged();
      return;
    }
    if (call.bucket !== FEEDS || call.op !== 'put' || call.target !== 'feed.json') return;
    const live = this.store.objects(FEEDS).get('feed.json');
    if (!live) return;
    const feed = JSON.parse(new TextDecoder().decode(live.body)) as { items: { url: string }[] };
    const now = new Set(feed.items.map((item) => item.url));
    const published = new Set(this.links.values());
    // A seed deleted once may have been recorded from its re-upload by a run older than the deletion:
    // that record goes, and the re-upload's own event brings the item back.
    const excused = new Set(
      [...this.links].filter(([key]) => this.deletedKeys.has(key)).map(([, link]) => link),
    );
    // Thrown at once: an explorer that cuts a run short on a state seen before never reaches its end.
    const vanished = [...this.shown].filter(
      (link) =>
        !now.has(link) &&
        published.has(link) &&
        !this.disturbed.has(link) &&
        !excused.has(link) &&
        !this.pushedDown(link),
    );
    if (vanished.length > 0) throw new Error(`${vanished.join(', ')} vanished from feed.json`);
    this.shown = now;
  }

  private pushedDown(link: string): boolean {
    const at = this.times.get(link) ?? Number.POSITIVE_INFINITY;
    const newer = [...this.times].filter(([other, time]) => other !== link && time >= at).length;
    return newer >= this.config.itemsPerFeed;
  }

  private seedChanged(): void {
    const links = new Map<string, string>();
    for (const [key, value] of fromScratch(this.store, this.config)) {
      if (typeof value !== 'string') {
        links.set(key, value.link);
        this.times.set(value.link, Date.parse(value.published));
      }
      // A rejected version keeps the last good one published: the link stays as it was.
      else if (this.links.has(key)) links.set(key, this.links.get(key) as string);
    }
    for (const [key, link] of this.links) {
      if (links.get(key) === link) continue;
      this.disturbed.add(link);
      // A run of an older event may read the moved version, record it under its older version, and
      // give way to the version before the move, until the move's own event is handled.
      this.deletedKeys.add(key);
    }
    for (const key of this.keys) if (!this.store.objects(SEEDS).has(key)) this.deletedKeys.add(key);
    for (const key of this.store.objects(SEEDS).keys())
      if (key.startsWith(this.config.seedsPrefix)) this.keys.add(key);
    this.links = links;
  }
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
