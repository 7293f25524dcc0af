import { type Item, itemIdFor } from '../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import {
  MAIN_VIEW,
  RenderCache,
  renderFeedDocuments,
  renderFeeds,
} from '../lambdas/seedfeed/render/feeds.js';
import { feedYardstick } from './feed-yardstick.js';
import { benchConfig, REAL_SEED_NAME, realSeed } from './settings.js';
import { median, threadCpuMs } from './stats.js';

export interface RenderPoint {
  k: number;
  corpus: 'generated' | 'real-sized';
  /** Items the byte budget let into the feeds (maxFeedBytes cuts the oldest). */
  included: number;
  files: number;
  bytes: number;
  /** Every public file (feeds, page, sitemap, OPML), wall-clock medians. */
  coldMs: number;
  warmMs: number;
  /** The three feeds alone beside `feed` 6 with its defaults on the same items (bench/feed-yardstick.ts). */
  versusFeed: FeedComparison;
}

/**
 * Main-thread CPU against `feed`'s, each the median of per-pair ratios: every sample is taken right
 * beside one of `feed` on the items the feeds hold, so a neighbour slowing the machine slows both.
 */
export interface FeedComparison {
  /** `feed` rendering RSS, Atom and JSON Feed of the included items: CPU milliseconds, median. */
  feedMs: number;
  /** rss.xml, atom.xml and feed.json with nothing memoized. */
  cold: number;
  /** The same with the strict XML check skipped (a bench-only cache; nothing unchecked is published). */
  coldUnchecked: number;
  /** One new item on K − 1 memoized ones, per upload. */
  warm: number;
  /**
   * Cold and checked, the items without their clean seals: records written before the seal (or edited
   * by hand), whose HTML every cold render cleans again, as it did for every record before the seal.
   */
  coldUnsealed: number;
}

export class RenderCorpusError extends Error {
  override readonly name = 'RenderCorpusError';
}

const HOUR = 3_600_000;

/** A copy the memo has never seen: fragments are keyed on the whole item, and dates are part of it. */
function shifted(item: Item, byMs: number): Item {
  return { ...item, published: new Date(Date.parse(item.published) + byMs).toISOString() };
}

function unsealed(item: Item): Item {
  const { cleanSeal: _, ...rest } = item;
  return rest;
}

/** Measures what checking costs; only the bench makes one, and what it renders is thrown away. */
class UncheckedCache extends RenderCache {
  override problem(): undefined {
    return undefined;
  }

  override cdataProblem(): undefined {
    return undefined;
  }

  override fragmentsProblem(): undefined {
    return undefined;
  }
}

/** Main-thread CPU of `work`, in milliseconds (wall-clock where Linux does not tell it). */
function cpuOf(work: () => void): number {
  const thread = threadCpuMs();
  const started = performance.now();
  work();
  const after = threadCpuMs();
  return thread === undefined || after === undefined ? performance.now() - started : after - thread;
}

/**
 * Per-call CPU of `work`, in samples of at least 40 ms of calls (the thread's CPU clock ticks every
 * 4 ms, and `feed` on 50 small items takes about that): each call gets its own input from `make`,
 * made before the sample's clock starts.
 */
function sampler<T>(make: (n: number) => T, work: (input: T) => void): () => number {
  let n = 0;
  const once = () => {
    const input = make(n++);
    const started = performance.now();
    work(input);
    return performance.now() - started;
  };
  once();
  const reps = Math.max(1, Math.ceil(40 / once()));
  return () => {
    const inputs = Array.from({ length: reps }, () => make(n++));
    return cpuOf(() => inputs.forEach(work)) / reps;
  };
}

/**
 * Cold: K items none of whose fragments are memoized (a fresh instance, or new settings). Warm: the
 * steady state of a running feed, one new item on top of K - 1 already rendered ones.
 */
export function benchRender(
  corpus: readonly Item[],
  k: number,
  coldRuns: number,
  warmRuns: number,
  kind: RenderPoint['corpus'] = 'generated',
): RenderPoint {
  if (corpus.length < k + warmRuns) {
    throw new RenderCorpusError(`render bench needs ${k + warmRuns} items, got ${corpus.length}`);
  }
  const settings = benchConfig();
  const base = corpus.slice(0, k);
  let last = renderFeeds(base, settings, MAIN_VIEW, new RenderCache());
  const published = last.included;
  const cold: number[] = [];
  for (let run = 1; run <= coldRuns; run++) {
    const fresh = base.map((item) => shifted(item, run * 1_000));
    const started = performance.now();
    last = renderFeeds(fresh, settings, MAIN_VIEW, new RenderCache());
    cold.push(performance.now() - started);
  }
  // Fresh copies each time, so that nothing is memoized and no object is hashed already.
  const copies = (n: number) => base.map((item) => shifted(item, -(n + 1) * 1_000));
  const sample = {
    feed: sampler(
      () => published,
      (items) => feedYardstick(items, settings),
    ),
    cold: sampler(copies, (items) => renderFeedDocuments(items, settings, MAIN_VIEW, new RenderCache())),
    unchecked: sampler(copies, (items) =>
      renderFeedDocuments(items, settings, MAIN_VIEW, new UncheckedCache()),
    ),
    unsealed: sampler(
      (n) => copies(n).map(unsealed),
      (items) => renderFeedDocuments(items, settings, MAIN_VIEW, new RenderCache()),
    ),
  };
  const pairs = Array.from({ length: coldRuns }, () => ({
    cold: sample.cold(),
    feed: sample.feed(),
    unchecked: sample.unchecked(),
    unsealed: sample.unsealed(),
  }));

  // Newer than anything in the corpus, so each arrival goes on top as a new upload does.
  let feed = base;
  const cache = new RenderCache();
  renderFeeds(feed, settings, MAIN_VIEW, cache);
  // Each arrival is new and has its own time, a minute after the one before, though the corpus has
  // only `warmRuns` items to spare. (Shifting each by its own offset gave them all one date, so every
  // upload moved the older arrivals' distinct `updated` and re-rendered them.)
  const top = Date.parse((corpus[0] as Item).published) + 1_000 * HOUR;
  const arrive = (run: number) => {
    const source = corpus[k + (run % warmRuns)] as Item;
    const arrival = { ...source, published: new Date(top + run * 60_000).toISOString() };
    feed = [arrival, ...feed.slice(0, k - 1)];
  };
  const warm: number[] = [];
  for (let run = 0; run < warmRuns; run++) {
    arrive(run);
    const started = performance.now();
    last = renderFeeds(feed, settings, MAIN_VIEW, cache);
    warm.push(performance.now() - started);
  }
  // Each input is the list after one more upload, rendered in order: one new item each time.
  const warmSample = sampler(
    (n) => {
      arrive(warmRuns + n);
      return feed;
    },
    (items) => renderFeedDocuments(items, settings, MAIN_VIEW, cache),
  );
  const warmPairs = Array.from({ length: coldRuns }, () => warmSample() / sample.feed());
  const ratioOf = (pick: (p: (typeof pairs)[number]) => number) => median(pairs.map((p) => pick(p) / p.feed));
  return {
    k,
    corpus: kind,
    included: last.included.length,
    files: last.files.length,
    bytes: last.files.reduce((sum, file) => sum + file.bytes.length, 0),
    coldMs: median(cold),
    warmMs: median(warm),
    versusFeed: {
      feedMs: median(pairs.map((p) => p.feed)),
      cold: ratioOf((p) => p.cold),
      coldUnchecked: ratioOf((p) => p.unchecked),
      warm: median(warmPairs),
      coldUnsealed: ratioOf((p) => p.unsealed),
    },
  };
}

/**
 * Items the size of the real seed (3.4 KB of source, about 2 KB of content), each a distinct article:
 * the generated corpus has 2–20 KB bodies, and render cost follows bytes.
 */
export function realSizedItems(count: number): Item[] {
  const config = benchConfig();
  const item = parseSeed(
    { file: REAL_SEED_NAME, bytes: realSeed(), uploadedAt: new Date(0) },
    { defaultLanguage: config.language, maxBytes: config.maxSeedBytes },
  );
  return Array.from({ length: count }, (_, i) => {
    const link = `${item.link}-${i}`;
    const published = new Date(Date.parse(item.published) - i * 60_000).toISOString();
    return { ...item, link, id: itemIdFor(link), published };
  });
}
