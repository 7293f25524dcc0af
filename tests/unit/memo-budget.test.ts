import { describe, expect, it } from 'vitest';
import type { Limits } from '../../lambdas/seedfeed/bounded-map.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { renderMemoLimits } from '../../lambdas/seedfeed/publish/cache.js';
import { RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { RENDER_MEMO } from '../../lambdas/seedfeed/render/memo.js';
import { makeItem, makeSettings } from '../support/items.js';

// A render whose items' values do not all fit the memo finds none of them on the next render (every
// render reads them in the same order, and the least recently used go first). Then it must still make
// them in batches, as a cold render does, and a function's memo must be large enough for an archive.

/** Counts the strict checks: one fragment at a time (an item made alone) or many in one parse. */
class CountingCache extends RenderCache {
  alone = 0;
  batched = 0;

  override problem(fragment: string, defaultNamespace?: string): string | undefined {
    this.alone++;
    return super.problem(fragment, defaultNamespace);
  }

  override fragmentsProblem(fragments: readonly string[], defaultNamespace?: string): string | undefined {
    this.batched++;
    return super.fragmentsProblem(fragments, defaultNamespace);
  }
}

function articles(count: number, bodyBytes: number): Item[] {
  const paragraph = '<p>Une phrase de l’article, assez longue pour peser.</p>';
  const body = paragraph.repeat(Math.ceil(bodyBytes / paragraph.length));
  return Array.from({ length: count }, () => makeItem({ contentHtml: body }));
}

/**
 * The checks the second of two renders of the same item objects makes, a minute after the first (at
 * the same time, the memo of whole renders would answer it).
 */
function secondRender(items: Item[], limits: Limits): CountingCache {
  const cache = new CountingCache(limits);
  const at = (now: string) => makeSettings({ maxFeedBytes: 32 * 1_048_576, now });
  renderFeeds(items, at('2024-06-01T00:00:00.000Z'), undefined, cache);
  cache.alone = 0;
  cache.batched = 0;
  renderFeeds(items, at('2024-06-01T00:01:00.000Z'), undefined, cache);
  return cache;
}

describe('a render larger than the memo', () => {
  it('makes the items it lost again in batches, not one by one', () => {
    // Prepare: 200 items of 2 KB; the memo holds more than a batch of them (64), not all 200.
    const items = articles(200, 2_048);

    // Act
    const cache = secondRender(items, { entries: 16_384, bytes: 2_500_000 });

    // Assess: every element was checked again, in the batch parse only.
    expect(cache.batched).toBeGreaterThan(0);
    expect(cache.alone).toBe(0);
  });
});

describe('the render memo of a function', () => {
  it('keeps the default for an unknown memory or one whose sixth is smaller', () => {
    expect(renderMemoLimits(undefined)).toEqual(RENDER_MEMO);
    expect(renderMemoLimits(Number.NaN)).toEqual(RENDER_MEMO);
    expect(renderMemoLimits(128)).toEqual(RENDER_MEMO);
  });

  it('takes a sixth of the memory, with a count that grows with it', () => {
    const limits = renderMemoLimits(512);
    expect(limits.bytes).toBe(Math.floor((512 * 1_048_576) / 6));
    expect(limits.entries).toBeGreaterThan(RENDER_MEMO.entries);
  });

  it('holds a render the default memo cannot: the second one checks nothing again', () => {
    // Prepare: 320 items of 10 KB, about 30 MiB of memoized values (over the default's 24 MiB).
    const items = articles(320, 10_240);

    // Act
    const sized = secondRender(items, renderMemoLimits(512));
    const fixed = secondRender(items, RENDER_MEMO);

    // Assess
    expect(sized.alone + sized.batched).toBe(0);
    expect(fixed.alone + fixed.batched).toBeGreaterThan(0);
  });
});
