import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_STAND_INS, loadConfig } from '../../lambdas/seedfeed/config.js';
import { checkItem, RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';

const BODY = 'The body only subscribers of the site may read';

function story() {
  return makeItem({
    summary: 'A summary & its <lead>.',
    contentHtml: `<p>${BODY}.</p><p>More of it.</p>`,
    enclosure: { url: 'https://cdn.example.com/episode.mp3', type: 'audio/mpeg' },
  });
}

function bodies(result: ReturnType<typeof renderFeeds>): Record<string, string> {
  return Object.fromEntries(result.files.map((file) => [file.key, file.body]));
}

describe('excerpt mode (excerptOnly)', () => {
  it('publishes summaries and links, and no article body in any format', () => {
    // Prepare
    const item = story();

    // Act
    const full = bodies(renderFeeds([item], makeSettings()));
    const excerpt = bodies(renderFeeds([item], makeSettings({ excerptOnly: true })));

    // Assess
    for (const key of ['rss.xml', 'atom.xml', 'feed.json']) expect(full[key], key).toContain(BODY);
    for (const [key, body] of Object.entries(excerpt)) {
      expect(body, key).not.toContain(BODY);
      expect(body, key).not.toContain('More of it');
    }
    const json = JSON.parse(excerpt['feed.json'] ?? '') as {
      items: { content_html: string; summary: string; url: string; attachments?: unknown[] }[];
    };
    expect(json.items[0]?.summary).toBe('A summary & its <lead>.');
    expect(json.items[0]?.content_html).toBe(
      `<p>A summary &amp; its &lt;lead&gt;.</p><p><a href="${item.link}">${item.title}</a></p>`,
    );
    // What the article is besides its text stays: podcast apps still get the episode.
    expect(json.items[0]?.attachments).toHaveLength(1);
    expect(excerpt['rss.xml']).toContain(`<a href="${item.link}">`);
    expect(excerpt['atom.xml']).toContain(`<a href="${item.link}">`);
  });

  it('shares one render cache with full mode without mixing them up, and reuses its own work', () => {
    // Prepare
    const item = story();
    const cache = new RenderCache();
    const render = (excerptOnly: boolean) =>
      renderFeeds([item], makeSettings({ excerptOnly }), undefined, cache);

    // Act
    const first = render(true);
    const full = render(false);
    const again = render(true);

    // Assess
    expect(bodies(full)['rss.xml']).toContain(BODY);
    expect(bodies(again)['rss.xml']).not.toContain(BODY);
    expect(bodies(again)).toEqual(bodies(first));
    // The same excerpt object both times: what was rendered of it is found again, not hashed anew.
    expect(again.included[0]).toBe(first.included[0]);
  });

  it('is what checkItem checks, so an item is judged as it will be published', () => {
    // Prepare
    const cache = new RenderCache();
    const item = story();

    // Act
    const problem = checkItem(item, makeSettings({ excerptOnly: true }), cache);
    const result = renderFeeds([item], makeSettings({ excerptOnly: true }), undefined, cache);

    // Assess
    expect(problem).toBeUndefined();
    expect(result.excluded).toEqual([]);
  });

  it('is a boolean setting, SEEDFEED_EXCERPT_ONLY, off by default', () => {
    expect(loadConfig(DEPLOYMENT_STAND_INS).excerptOnly).toBe(false);
    expect(loadConfig({ ...DEPLOYMENT_STAND_INS, SEEDFEED_EXCERPT_ONLY: 'true' }).excerptOnly).toBe(true);
    expect(() => loadConfig({ ...DEPLOYMENT_STAND_INS, SEEDFEED_EXCERPT_ONLY: 'sometimes' })).toThrow(
      'SEEDFEED_EXCERPT_ONLY must be true or false (got "sometimes")',
    );
  });

  it('leaves the publication name for the news sitemap to a setting of its own', () => {
    expect(loadConfig(DEPLOYMENT_STAND_INS).newsPublicationName).toBeUndefined();
    expect(
      loadConfig({ ...DEPLOYMENT_STAND_INS, SEEDFEED_NEWS_PUBLICATION_NAME: '  The  Example Times ' })
        .newsPublicationName,
    ).toBe('The Example Times');
  });
});
