import { describe, expect, it } from 'vitest';
import { RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';

// The feed heads are memoized by the settings, the view and the date: one cache serves renders with
// other settings (the bench, the tests) and renders at other times (a sweep), and must give each its own.

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
});
