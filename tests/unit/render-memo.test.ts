import { describe, expect, it } from 'vitest';
import { RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';

// Heads are memoized by the settings, the view and the date, and whole renders by the settings (the
// render's time too), the view and the items' content: one cache serves renders with other settings
// (the bench, the tests), at other times (a sweep) and of other items, and must give each its own.

const bodies = (files: { key: string; body: string }[]) =>
  Object.fromEntries(files.filter((f) => /\.xml$/.test(f.key)).map((f) => [f.key, f.body]));

describe('the memo of feed heads', () => {
  it('gives a render with another title its own head', () => {
    // Prepare
    const cache = new RenderCache();
    const items = [makeItem()];
    renderFeeds(items, makeSettings({ feedTitle: 'First title' }), undefined, cache);

    // Act
    const second = bodies(
      renderFeeds(items, makeSettings({ feedTitle: 'Second title' }), undefined, cache).files,
    );

    // Assess
    expect(second['rss.xml']).toContain('<title>Second title</title>');
    expect(second['atom.xml']).toContain('Second title');
    expect(second['rss.xml']).not.toContain('First title');
  });

  it('gives the same bytes at another render time, as a fresh cache does', () => {
    // Prepare
    const cache = new RenderCache();
    const items = [makeItem()];
    renderFeeds(items, makeSettings({ now: '2024-03-01T00:00:00.000Z' }), undefined, cache);

    // Act
    const settings = makeSettings({ now: '2024-03-02T00:00:00.000Z' });
    const warm = bodies(renderFeeds(items, settings, undefined, cache).files);
    const cold = bodies(renderFeeds(items, settings).files);

    // Assess
    expect(warm['rss.xml']).toBe(cold['rss.xml']);
    expect(warm['atom.xml']).toBe(cold['atom.xml']);
  });

  it('gives a render at another time its own news sitemap', () => {
    // Prepare: an article of 2024-01-01, inside a sitemap's two-day window on the 2nd, not on the 5th.
    const cache = new RenderCache();
    const items = [makeItem({ published: '2024-01-01T09:00:00.000Z' })];
    const sitemap = (now: string) =>
      renderFeeds(items, makeSettings({ now }), undefined, cache).files.find(
        (f) => f.key === 'news-sitemap.xml',
      )?.body ?? '';
    const inside = sitemap('2024-01-02T00:00:00.000Z');

    // Act
    const outside = sitemap('2024-01-05T00:00:00.000Z');

    // Assess
    expect(inside).toContain(items[0]?.link);
    expect(outside).not.toContain(items[0]?.link);
  });

  it('gives an item with other content its own files', () => {
    // Prepare
    const cache = new RenderCache();
    renderFeeds([makeItem({ title: 'Before' })], makeSettings(), undefined, cache);

    // Act
    const after = bodies(renderFeeds([makeItem({ title: 'After' })], makeSettings(), undefined, cache).files);

    // Assess
    expect(after['rss.xml']).toContain('<title>After</title>');
    expect(after['rss.xml']).not.toContain('Before');
  });
});
