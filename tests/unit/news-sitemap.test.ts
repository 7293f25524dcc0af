import { describe, expect, it } from 'vitest';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import {
  NEWS_MAX_URLS,
  NEWS_NAMESPACE,
  newsLanguage,
  renderNewsSitemap,
  SITEMAP_NAMESPACE,
} from '../../lambdas/seedfeed/render/sitemap.js';
import { makeItem, makeSettings } from '../support/items.js';
import { childrenNamed, onlyChild, parseXmlStrict, type XmlElement } from '../support/xml-tree.js';

const NOW = '2026-12-01T12:00:00.000Z';
const HOUR = 3_600_000;
const TWO_DAYS = 48 * HOUR;

function at(msBeforeNow: number, overrides: Partial<Item> = {}): Item {
  return makeItem({ published: new Date(Date.parse(NOW) - msBeforeNow).toISOString(), ...overrides });
}

interface NewsEntry {
  loc: string;
  name: string;
  language: string;
  date: string;
  title: string;
}

/**
 * Reads a sitemap as Google's documentation describes it, failing on anything it does not allow: the
 * root is the sitemap 0.9 `urlset`, each `url` has one `loc` and one `news:news`, which has one
 * `news:publication` (one `news:name`, one `news:language`), one `news:publication_date` and one
 * `news:title`, each in the news namespace.
 */
function readNewsSitemap(xml: string): NewsEntry[] {
  const root = parseXmlStrict(xml);
  expect([root.uri, root.local]).toEqual([SITEMAP_NAMESPACE, 'urlset']);
  expect(xml).toContain(`xmlns:news="${NEWS_NAMESPACE}"`);
  expect(root.children.every((child) => child.uri === SITEMAP_NAMESPACE && child.local === 'url')).toBe(true);
  return root.children.map((url: XmlElement) => {
    const news = onlyChild(url, NEWS_NAMESPACE, 'news');
    const publication = onlyChild(news, NEWS_NAMESPACE, 'publication');
    return {
      loc: onlyChild(url, SITEMAP_NAMESPACE, 'loc').text,
      name: onlyChild(publication, NEWS_NAMESPACE, 'name').text,
      language: onlyChild(publication, NEWS_NAMESPACE, 'language').text,
      date: onlyChild(news, NEWS_NAMESPACE, 'publication_date').text,
      title: onlyChild(news, NEWS_NAMESPACE, 'title').text,
    };
  });
}

// W3C Datetime (https://www.w3.org/TR/NOTE-datetime): a complete date, or one with hh:mm:ss and a zone.
const W3C_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2}))?$/;
// ISO 639 codes of two or three letters; Google's one exception is Chinese.
const GOOGLE_LANGUAGE = /^(?:[a-z]{2,3}|zh-cn|zh-tw)$/;

describe('renderNewsSitemap', () => {
  it('gives every article the elements Google requires, in its namespaces', () => {
    // Prepare
    const item = at(HOUR, { title: 'Budget passes', language: 'en' });

    // Act
    const entries = readNewsSitemap(
      renderNewsSitemap([item], { publication: 'The Example Times', now: NOW }),
    );

    // Assess
    expect(entries).toEqual([
      {
        loc: item.link,
        name: 'The Example Times',
        language: 'en',
        date: `${item.published.slice(0, 19)}Z`,
        title: 'Budget passes',
      },
    ]);
    expect(entries[0]?.date).toMatch(W3C_DATE);
    expect(Date.parse(entries[0]?.date ?? '')).toBe(
      Date.parse(item.published) - (Date.parse(item.published) % 1000),
    );
  });

  it.each([
    ['en', 'en'],
    ['pt-BR', 'pt'],
    ['fil', 'fil'],
    ['zh', 'zh-cn'],
    ['zh-CN', 'zh-cn'],
    ['zh-Hans', 'zh-cn'],
    ['zh-TW', 'zh-tw'],
    ['zh-Hant-HK', 'zh-tw'],
    ['sr-Latn', 'sr'],
  ])('writes language %s as Google wants it: %s', (tag, expected) => {
    // Act
    const [entry] = readNewsSitemap(
      renderNewsSitemap([at(HOUR, { language: tag })], { publication: 'P', now: NOW }),
    );

    // Assess
    expect(entry?.language).toBe(expected);
    expect(entry?.language).toMatch(GOOGLE_LANGUAGE);
    expect(newsLanguage(tag)).toBe(expected);
  });

  it('lists exactly the articles of the two days up to now, both ends included, and none from the future', () => {
    // Prepare
    const items = {
      oldest: at(TWO_DAYS),
      tooOld: at(TWO_DAYS + 1),
      now: at(0),
      future: at(-1),
      farFuture: at(-365 * 24 * HOUR),
      middle: at(TWO_DAYS / 2),
    };

    // Act
    const entries = readNewsSitemap(renderNewsSitemap(Object.values(items), { publication: 'P', now: NOW }));

    // Assess
    expect(entries.map((e) => e.loc)).toEqual([items.now.link, items.middle.link, items.oldest.link]);
    for (const entry of entries) expect(Date.parse(entry.date)).toBeLessThanOrEqual(Date.parse(NOW));
  });

  it('lists at most 1,000 articles, the newest', () => {
    // Prepare
    const items = Array.from({ length: NEWS_MAX_URLS + 5 }, (_, i) => at((i + 1) * 60_000));

    // Act
    const entries = readNewsSitemap(renderNewsSitemap([...items].reverse(), { publication: 'P', now: NOW }));

    // Assess
    expect(NEWS_MAX_URLS).toBe(1_000);
    expect(entries).toHaveLength(1_000);
    expect(entries.map((e) => e.loc)).toEqual(items.slice(0, 1_000).map((item) => item.link));
  });

  it('escapes names, titles and links, which read back as written', () => {
    // Prepare
    const title = 'Q&A: <script>alert("x")</script> & ]]> \'quoted\'';
    const link = 'https://news.example.com/a?x=1&y=<2>&z="3"';
    const publication = 'Smith & Sons <Daily>';

    // Act
    const xml = renderNewsSitemap([at(HOUR, { title, link })], { publication, now: NOW });
    const [entry] = readNewsSitemap(xml);

    // Assess
    expect(entry).toMatchObject({ loc: link, title, name: publication });
    expect(xml).not.toContain('<script>');
  });

  it('leaves out what Google or the sitemap protocol would refuse: long links, unrenderable items', () => {
    // Prepare
    const long = at(HOUR, { link: `https://news.example.com/${'a'.repeat(2_100)}` });
    const noDate = at(HOUR, { published: 'yesterday' });
    const good = at(HOUR);

    // Act
    const entries = readNewsSitemap(renderNewsSitemap([long, noDate, good], { publication: 'P', now: NOW }));

    // Assess
    expect(entries.map((e) => e.loc)).toEqual([good.link]);
  });

  it('with a render cache, writes the same bytes and never another publication name', () => {
    // Prepare
    const cache = new RenderCache();
    const items = [at(HOUR), at(2 * HOUR)];

    // Act
    const first = renderNewsSitemap(items, { publication: 'First', now: NOW }, cache);
    const other = renderNewsSitemap(items, { publication: 'Other', now: NOW }, cache);
    const again = renderNewsSitemap(items, { publication: 'First', now: NOW }, cache);

    // Assess
    expect(first).toBe(renderNewsSitemap(items, { publication: 'First', now: NOW }));
    expect(readNewsSitemap(other).map((e) => e.name)).toEqual(['Other', 'Other']);
    expect(again).toBe(first);
  });

  it('is a valid empty urlset when nothing is recent, as Google allows', () => {
    // Act
    const xml = renderNewsSitemap([at(3 * TWO_DAYS)], { publication: 'P', now: NOW });

    // Assess
    expect(readNewsSitemap(xml)).toEqual([]);
    expect(childrenNamed(parseXmlStrict(xml), SITEMAP_NAMESPACE, 'url')).toEqual([]);
  });
});

describe('renderFeeds publishes the news sitemap', () => {
  const sitemapOf = (result: ReturnType<typeof renderFeeds>) =>
    readNewsSitemap(result.files.find((f) => f.key === 'news-sitemap.xml')?.body ?? '');

  it('at the site root, windowed by the `now` it is given, named by the publication setting', () => {
    // Prepare
    const recent = at(HOUR);
    const old = at(3 * TWO_DAYS);

    // Act
    const named = renderFeeds([recent, old], makeSettings({ now: NOW, newsPublicationName: 'The Times' }));
    const later = renderFeeds(
      [recent, old],
      makeSettings({ now: new Date(Date.parse(NOW) + TWO_DAYS).toISOString() }),
    );

    // Assess
    expect(sitemapOf(named).map((e) => [e.loc, e.name])).toEqual([[recent.link, 'The Times']]);
    expect(sitemapOf(later)).toEqual([]);
    expect(named.files.find((f) => f.key === 'news-sitemap.xml')?.contentType).toBe(
      'application/xml; charset=utf-8',
    );
  });

  it('falls back to the feed title, and without `now` ends the window at the newest change recorded', () => {
    // Prepare
    const newest = makeItem({ published: '2024-03-10T00:00:00.000Z', updated: '2024-03-10T00:05:00.000Z' });
    const dayBefore = makeItem({ published: '2024-03-09T00:00:00.000Z' });
    const weekBefore = makeItem({ published: '2024-03-03T00:00:00.000Z' });

    // Act
    const entries = sitemapOf(renderFeeds([weekBefore, dayBefore, newest], makeSettings()));

    // Assess
    expect(entries.map((e) => [e.loc, e.name])).toEqual([
      [newest.link, 'Example News'],
      [dayBefore.link, 'Example News'],
    ]);
  });

  it('only for the main view: a category has no sitemap of its own', () => {
    // Act
    const files = renderFeeds([at(HOUR)], makeSettings({ now: NOW }), {
      kind: 'category',
      path: 'categories/world/',
      label: 'world',
    }).files.map((f) => f.key);

    // Assess
    expect(files).not.toContain('categories/world/news-sitemap.xml');
    expect(files).toHaveLength(4);
  });
});
