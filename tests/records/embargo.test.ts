import { describe, expect, it } from 'vitest';
import { itemIdFor } from '../../lambdas/seedfeed/core/item.js';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import { publishedOf } from '../../lambdas/seedfeed/publish/keys.js';
import type { Bucket, ListedObject } from '../../lambdas/seedfeed/storage/port.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage, sweepMessage } from '../../local/events.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { FEEDS, liveText, SEEDS, testConfig } from '../support/publishing.js';
import { randomFor } from '../support/random.js';
import { makeSeed } from '../support/seeds.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 1, 1);
const K = 5;

interface Listing {
  prefix: string;
  startAfter: string | undefined;
  keys: string[];
}

/** The handler's seeds bucket, noting what every LIST returned. */
function noting(bucket: Bucket, listings: Listing[]): Bucket {
  return {
    name: bucket.name,
    get: (key) => bucket.get(key),
    head: (key) => bucket.head(key),
    put: (key, body, headers) => bucket.put(key, body, headers),
    delete: (key) => bucket.delete(key),
    listFolders: (prefix) => bucket.listFolders(prefix),
    async list(prefix, limit, startAfter): Promise<ListedObject[]> {
      const listed = await bucket.list(prefix, limit, startAfter);
      listings.push({ prefix, startAfter, keys: listed.map((o) => o.key) });
      return listed;
    },
  };
}

interface World {
  store: MemoryStore;
  listings: Listing[];
  /** Links by publish time, newest first, each article once. */
  stamps: Map<string, number>;
  deliver(records: ReturnType<typeof sqsMessage>[]): Promise<void>;
  setClock(ms: number): void;
  feedLinks(path?: string): string[];
  publicText(): string;
}

/** Many embargoed seeds and a few due ones, uploaded in a random order, delivered in random batches. */
async function world(name: string, env: Record<string, string>, embargoed: number): Promise<World> {
  const random = randomFor(name);
  const config = testConfig({ SEEDFEED_ITEMS_PER_FEED: String(K), ...env });
  const store = new MemoryStore();
  const listings: Listing[] = [];
  let clock = NOW;
  const handler = createHandler({
    config,
    seeds: noting(store.bucket(SEEDS, 'instance'), listings),
    feeds: store.bucket(FEEDS, 'instance'),
    log: quietLog,
    clock: () => new Date(clock),
  });
  const stamps = new Map<string, number>();
  // Embargoed ones an hour or more ahead, in random minutes; the due ones up to a day back.
  for (let n = 0; n < embargoed; n++)
    stamps.set(`https://news.example.com/later/story-${n}`, NOW + HOUR + random.int(48 * 60) * 60_000);
  for (let n = 0; n < 8; n++)
    stamps.set(`https://news.example.com/world/story-${n}`, NOW - 60_000 - random.int(24 * 60) * 60_000);
  const links = [...stamps.keys()];
  const uploader = store.bucket(SEEDS, 'uploader');
  const records = [];
  while (links.length > 0) {
    const link = random.take(links);
    const key = `${config.seedsPrefix}${link.split('/').slice(-2).join('-')}.txt`;
    await uploader.put(key, makeSeed({ url: link, title: link, stamp: stamps.get(link) }));
    records.push(sqsMessage(s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(NOW))));
  }
  const deliver = async (batch: ReturnType<typeof sqsMessage>[]) => {
    const result = await handler(sqsEvent(batch));
    if (result.batchItemFailures.length > 0) throw new Error('a delivery failed');
  };
  while (records.length > 0) await deliver(records.splice(0, 1 + random.int(6)));
  const text = (key: string) => liveText(store, key);
  return {
    store,
    listings,
    stamps,
    deliver,
    setClock: (ms) => {
      clock = ms;
    },
    feedLinks: (path = '') =>
      (JSON.parse(text(`${path}feed.json`) || '{"items":[]}') as { items: { url: string }[] }).items.map(
        (item) => item.url,
      ),
    publicText: () => [...store.objects(FEEDS).keys()].map((key) => `${key}\n${text(key)}`).join('\n'),
  };
}

/**
 * The K newest links published by `now`, as a from-scratch answer. Stamps are random minutes, so two
 * stories may share one: the feeds then order them by item id (render/feeds.ts newestFirst).
 */
function newestDue(stamps: Map<string, number>, now: number): string[] {
  return [...stamps]
    .filter(([, stamp]) => stamp <= now)
    .sort(([x, a], [y, b]) => b - a || itemIdFor(x).localeCompare(itemIdFor(y)))
    .slice(0, K)
    .map(([link]) => link);
}

describe('embargoed entries in the records', () => {
  it('are never among the newest K before they are due, and no listing of the render returns one', async () => {
    // Prepare
    const w = await world('embargo-records', {}, 60);

    // Act: a sweep at a time that makes some of them due.
    const indexListings = () => w.listings.filter((l) => l.prefix.endsWith('index/'));
    const embargoedListed = (now: number) =>
      indexListings().flatMap((l) =>
        l.keys.filter((key) => (publishedOf(key.slice(l.prefix.length)) ?? 0) > now),
      );
    const before = { feed: w.feedLinks(), listedEmbargoed: embargoedListed(NOW), text: w.publicText() };
    const later = NOW + 25 * HOUR;
    w.setClock(later);
    w.listings.length = 0;
    await w.deliver([sweepMessage(new Date(later))]);

    // Assess
    expect(before.feed).toEqual(newestDue(w.stamps, NOW));
    expect(before.text).not.toContain('/later/');
    // Skipped by key range: with no collections kept, no LIST ever returned an embargoed name.
    expect(before.listedEmbargoed).toEqual([]);
    expect(w.feedLinks()).toEqual(newestDue(w.stamps, later));
    expect(embargoedListed(later)).toEqual([]);
    expect(indexListings().every((l) => l.startAfter !== undefined)).toBe(true);
  });

  it('keep their collections unnamed until one of them is due', async () => {
    // Prepare: the embargoed stories are the only members of the "later" category.
    const w = await world('embargo-collections', { SEEDFEED_CATEGORY_FEEDS: 'true' }, 40);
    const first = Math.min(...[...w.stamps.values()].filter((stamp) => stamp > NOW));

    // Act
    const before = w.publicText();
    w.setClock(first);
    await w.deliver([sweepMessage(new Date(first))]);

    // Assess
    expect(before).not.toContain('later');
    expect(w.feedLinks('categories/later/')).toEqual(
      [...w.stamps].filter(([, stamp]) => stamp === first).map(([link]) => link),
    );
    expect(w.feedLinks()).toEqual(newestDue(w.stamps, first));
    expect(w.publicText()).toContain('categories/later/');
  });
});
