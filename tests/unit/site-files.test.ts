import { describe, expect, it } from 'vitest';
import { isFeedKey, publicKeysOf, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { MAIN_VIEW_FILES } from '../support/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';

describe('publicKeysOf', () => {
  it('names exactly the files renderFeeds writes for a view, whatever its items', () => {
    // Prepare
    const views = [
      { kind: 'main' as const, path: '' },
      { kind: 'category' as const, path: 'categories/world/', label: 'world' },
      { kind: 'archive' as const, path: 'archive/2024-01/', label: '2024-01' },
    ];

    // Act
    const pairs = views.map((view) => ({
      keys: publicKeysOf(view).sort(),
      written: renderFeeds([makeItem()], makeSettings(), view)
        .files.map((f) => f.key)
        .sort(),
      empty: renderFeeds([], makeSettings(), view)
        .files.map((f) => f.key)
        .sort(),
    }));

    // Assess
    for (const { keys, written, empty } of pairs) {
      expect(written).toEqual(keys);
      expect(empty).toEqual(keys);
    }
    expect(pairs[0]?.keys).toEqual([...MAIN_VIEW_FILES]);
  });
});

describe('isFeedKey', () => {
  it.each([
    ['rss.xml', true],
    ['categories/world/atom.xml', true],
    ['archive/2024-01/feed.json', true],
    ['news-sitemap.xml', false],
    ['feeds.opml', false],
    ['index.html', false],
  ])('%s → %s', (key, feed) => {
    expect(isFeedKey(key)).toBe(feed);
  });
});
