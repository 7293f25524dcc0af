import { type Item, itemIdFor } from '../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { MAIN_VIEW, RenderCache, renderFeeds } from '../lambdas/seedfeed/render/feeds.js';
import { benchConfig, REAL_SEED_NAME, realSeed } from './settings.js';
import { median } from './stats.js';

export interface RenderPoint {
  k: number;
  corpus: 'generated' | 'real-sized';
  /** Items the byte budget let into the feeds (maxFeedBytes cuts the oldest). */
  included: number;
  files: number;
  bytes: number;
  coldMs: number;
  warmMs: number;
}

export class RenderCorpusError extends Error {
  override readonly name = 'RenderCorpusError';
}

const HOUR = 3_600_000;

/** A copy the memo has never seen: fragments are keyed on the whole item, and dates are part of it. */
function shifted(item: Item, byMs: number): Item {
  return { ...item, published: new Date(Date.parse(item.published) + byMs).toISOString() };
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
  const cold: number[] = [];
  let last = renderFeeds(base, settings, MAIN_VIEW, new RenderCache());
  for (let run = 1; run <= coldRuns; run++) {
    const fresh = base.map((item) => shifted(item, run * 1_000));
    const started = performance.now();
    last = renderFeeds(fresh, settings, MAIN_VIEW, new RenderCache());
    cold.push(performance.now() - started);
  }

  // Newer than anything in the corpus, so each arrival goes on top as a new upload does.
  let feed = base;
  const cache = new RenderCache();
  renderFeeds(feed, settings, MAIN_VIEW, cache);
  const warm: number[] = [];
  for (let run = 0; run < warmRuns; run++) {
    const arrival = shifted(corpus[k + run] as Item, 1_000 * HOUR + run * 60_000);
    feed = [arrival, ...feed.slice(0, k - 1)];
    const started = performance.now();
    last = renderFeeds(feed, settings, MAIN_VIEW, cache);
    warm.push(performance.now() - started);
  }
  return {
    k,
    corpus: kind,
    included: last.included.length,
    files: last.files.length,
    bytes: last.files.reduce((sum, file) => sum + file.bytes.length, 0),
    coldMs: median(cold),
    warmMs: median(warm),
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
