import { load } from 'cheerio/slim';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../lambdas/seedfeed/render/page.js';
import { makeItem, makeSettings } from '../support/items.js';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

describe('renderPage', () => {
  it('is valid HTML with autodiscovery and subscribe links for all three feeds', async () => {
    // Prepare
    const items = [makeItem({ image: 'https://img.example.com/a.jpg' }), makeItem()];

    // Act
    const html = renderPage(items, makeSettings());
    const report = await validator.validateString(html);

    // Assess
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    const feeds: [string, string][] = [
      ['application/rss+xml', 'rss.xml'],
      ['application/atom+xml', 'atom.xml'],
      ['application/feed+json', 'feed.json'],
    ];
    for (const [type, file] of feeds) {
      expect(html).toMatch(
        new RegExp(
          `<link rel="alternate" type="${type.replace('+', '\\+')}" [^>]*href="https://feeds.example.com/${file}">`,
        ),
      );
      expect(html).toContain(`<a href="https://feeds.example.com/${file}" type="${type}">`);
    }
    // Structured data is the one script element, and browsers never run it.
    expect(html.match(/<script\b[^>]*>/gi)).toEqual(['<script type="application/ld+json">']);
  });

  it('is valid HTML for a category page and a main page that lists categories', async () => {
    // Prepare
    const related = [{ path: 'categories/中国/', label: '中国' }];

    // Act
    const main = renderPage([makeItem()], makeSettings(), { kind: 'main', path: '', related });
    const category = renderPage([makeItem()], makeSettings(), {
      kind: 'category',
      path: 'categories/中国/',
      label: '中国',
    });
    const reports = await Promise.all([main, category].map((html) => validator.validateString(html)));

    // Assess
    expect(reports.flatMap((r) => r.results.flatMap((x) => x.messages.map((m) => m.message)))).toEqual([]);
    expect(main).toContain(
      '<a href="https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/index.html">中国</a>',
    );
    expect(category).toContain('<title>Example News — 中国</title>');
    expect(category).toContain('<a href="https://feeds.example.com/index.html">All articles</a>');
    expect(category).toContain('href="https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/rss.xml"');
  });

  it('gives each item its language and direction, a linked title, a local date and a thumbnail', () => {
    // Prepare
    const arabic = makeItem({
      title: 'عنوان',
      language: 'ar',
      published: '2024-01-31T10:15:01.000Z',
      image: 'https://img.example.com/b.jpg',
    });
    const chinese = makeItem({ title: '标题', language: 'zh-CN', published: '2024-01-31T10:15:01.000Z' });

    // Act
    const html = renderPage([arabic, chinese], makeSettings());

    // Assess
    expect(html).toContain(
      `<li class="item has-image" lang="ar" dir="rtl"><img src="https://img.example.com/b.jpg"`,
    );
    expect(html).toContain(`<h2><a href="${arabic.link}">عنوان</a></h2>`);
    expect(html).toContain('lang="zh-CN" dir="ltr"');
    expect(html).toContain('2024年1月31日');
    expect(html).toContain('<time datetime="2024-01-31T10:15:01.000Z">');
  });

  it('escapes titles and summaries, and says so when there is nothing yet', () => {
    expect(renderPage([makeItem({ title: '<img src=x onerror=alert(1)>' })], makeSettings())).toContain(
      '&lt;img src=x onerror=alert(1)&gt;',
    );
    expect(renderPage([], makeSettings())).toContain('<p>No articles yet.</p>');
  });
});

/** The page as a browser's parser reads it (htmlparser2 ends a script element where browsers do). */
function read(html: string) {
  const $ = load(html);
  const scripts = $('script')
    .toArray()
    .map((script) => ({ type: $(script).attr('type'), text: $(script).text() }));
  const og = Object.fromEntries(
    $('meta[property^="og:"]')
      .toArray()
      .map((meta) => [$(meta).attr('property'), $(meta).attr('content')]),
  );
  return { $, scripts, og };
}

interface NewsArticle {
  '@type': string;
  headline: string;
  url: string;
  mainEntityOfPage: { '@id': string };
  datePublished: string;
  dateModified: string;
  author?: { '@type': string; name: string; url?: string }[];
  publisher: { '@type': string; name: string; logo?: { url: string } };
  image?: string[];
}

function articles(html: string): NewsArticle[] {
  const { scripts } = read(html);
  expect(scripts.map((s) => s.type)).toEqual(['application/ld+json']);
  const data = JSON.parse(scripts[0]?.text ?? '') as { '@context': string; '@graph': NewsArticle[] };
  expect(data['@context']).toBe('https://schema.org');
  return data['@graph'];
}

describe('renderPage structured data (NewsArticle JSON-LD)', () => {
  it('describes every story with the fields Google reads', () => {
    // Prepare
    const item = makeItem({
      image: 'https://img.example.com/a.jpg',
      published: '2024-01-31T10:00:00.000Z',
      updated: '2024-01-31T12:30:00.000Z',
      authors: [{ name: 'Ana Lima', url: 'https://news.example.com/ana' }, { name: 'Bo Chen' }],
    });
    const settings = makeSettings({
      newsPublicationName: 'The Example Times',
      iconUrl: 'https://www.example.com/logo.png',
    });

    // Act
    const [article, ...rest] = articles(renderPage([item, makeItem()], settings));

    // Assess
    expect(rest).toHaveLength(1);
    expect(article).toMatchObject({
      '@type': 'NewsArticle',
      headline: item.title,
      url: item.link,
      mainEntityOfPage: { '@id': item.link },
      datePublished: '2024-01-31T10:00:00.000Z',
      dateModified: '2024-01-31T12:30:00.000Z',
      author: [
        { '@type': 'Person', name: 'Ana Lima', url: 'https://news.example.com/ana' },
        { '@type': 'Person', name: 'Bo Chen' },
      ],
      publisher: {
        '@type': 'Organization',
        name: 'The Example Times',
        logo: { url: 'https://www.example.com/logo.png' },
      },
      image: ['https://img.example.com/a.jpg'],
    });
    expect(rest[0]?.publisher.name).toBe('The Example Times');
    expect(rest[0]?.author).toBeUndefined();
    expect(rest[0]?.dateModified).toBe(rest[0]?.datePublished);
  });

  it('cannot be broken out of by a hostile title, summary or author', async () => {
    // Prepare
    const hostile = '</script><script>alert(1)</script><!-- \u2028\u2029 </SCRIPT > &amp;';
    const item = makeItem({
      title: hostile,
      summary: hostile,
      authors: [{ name: hostile, url: 'javascript:alert(1)' }],
    });

    // Act
    const html = renderPage([item], makeSettings({ newsPublicationName: '</script><b>' }));
    const report = await validator.validateString(html);
    const [article] = articles(html);

    // Assess
    expect(article?.headline).toBe(hostile);
    expect(article?.author).toEqual([{ '@type': 'Person', name: hostile }]);
    expect(article?.publisher.name).toBe('</script><b>');
    // A breakout would end the element early: JSON.parse above would fail, or a second script appear.
    expect(html).not.toContain('<script>alert');
    const raw = html.slice(html.indexOf('<script type="application/ld+json">'), html.indexOf('</head>'));
    expect(raw.match(/<\/script/gi)).toEqual(['</script']);
    expect(raw).not.toMatch(/[\u2028\u2029]|<!--/);
    expect(read(html).$('a[href^="javascript"]').length).toBe(0);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('is left out of a page without stories', () => {
    expect(read(renderPage([], makeSettings())).scripts).toEqual([]);
  });
});

describe('renderPage Open Graph', () => {
  it('names the page, its type, address, description and site, and the image when there is one', () => {
    // Act
    const plain = read(renderPage([makeItem()], makeSettings())).og;
    const category = read(
      renderPage([makeItem()], makeSettings({ iconUrl: 'https://www.example.com/icon.png' }), {
        kind: 'category',
        path: 'categories/world/',
        label: 'world',
      }),
    ).og;

    // Assess
    expect(plain).toEqual({
      'og:title': 'Example News',
      'og:type': 'website',
      'og:url': 'https://feeds.example.com/index.html',
      'og:description': 'News from the example newsroom',
      'og:site_name': 'Example News',
    });
    expect(category).toMatchObject({
      'og:title': 'Example News — world',
      'og:url': 'https://feeds.example.com/categories/world/index.html',
      'og:image': 'https://www.example.com/icon.png',
    });
  });
});

describe('renderPage bylines and corrections', () => {
  it('shows who wrote a story, linking names that have a web page', () => {
    // Prepare
    const item = makeItem({
      authors: [
        { name: 'Ana <Lima>', url: 'https://news.example.com/ana' },
        { name: 'Bo Chen', url: 'javascript:alert(1)' },
      ],
    });

    // Act
    const { $ } = read(renderPage([item, makeItem()], makeSettings()));

    // Assess
    const bylines = $('.byline').toArray();
    expect(bylines).toHaveLength(1);
    expect($(bylines[0]).text()).toBe('By Ana <Lima>, Bo Chen');
    expect(
      $(bylines[0])
        .find('a')
        .toArray()
        .map((a) => [$(a).attr('href'), $(a).attr('rel')]),
    ).toEqual([['https://news.example.com/ana', 'author']]);
  });

  it('marks a story that replaced a published version, and not a first upload however late', () => {
    // Prepare
    const published = '2024-01-31T10:00:00.000Z';
    const corrected = makeItem({ published, updated: '2024-01-31T13:00:00.000Z', corrected: true });
    const backfilled = makeItem({ published, updated: '2026-12-01T10:02:00.000Z' });
    const old = makeItem({ published });

    // Act
    const { $ } = read(renderPage([corrected, backfilled, old], makeSettings()));

    // Assess
    const marks = $('.updated').toArray();
    expect(marks).toHaveLength(1);
    expect($(marks[0]).closest('li').find('h2').text()).toBe(corrected.title);
    expect($(marks[0]).find('time').attr('datetime')).toBe('2024-01-31T13:00:00.000Z');
  });
});

describe('renderPage links to the collections', () => {
  it('lists categories, authors and archive months from the main page', async () => {
    // Prepare
    const view = {
      kind: 'main' as const,
      path: '',
      related: [{ path: 'categories/world/', label: 'world' }],
      authors: [{ path: 'authors/ana/', label: 'Ana' }],
      archives: [
        { path: 'archive/2024-02/', label: '2024-02' },
        { path: 'archive/2024-01/', label: '2024-01' },
      ],
    };

    // Act
    const html = renderPage([makeItem()], makeSettings(), view);
    const { $ } = read(html);
    const report = await validator.validateString(html);

    // Assess
    const nav = (label: string) =>
      $(`nav[aria-label="${label}"] li > a:first-child`)
        .toArray()
        .map((a) => $(a).attr('href'));
    expect(nav('Categories')).toEqual(['https://feeds.example.com/categories/world/index.html']);
    expect(nav('Authors')).toEqual(['https://feeds.example.com/authors/ana/index.html']);
    expect(nav('Archives')).toEqual([
      'https://feeds.example.com/archive/2024-02/index.html',
      'https://feeds.example.com/archive/2024-01/index.html',
    ]);
    expect(report.results.flatMap((r) => r.messages.map((m) => m.message))).toEqual([]);
  });

  it('links the newest month from the main page and its neighbours from an archive, without a list of months', () => {
    // Act
    const main = read(
      renderPage([], makeSettings(), { kind: 'main', path: '', prevArchive: 'archive/2024-02/' }),
    ).$;
    const month = read(
      renderPage([], makeSettings(), {
        kind: 'archive',
        path: 'archive/2024-02/',
        label: '2024-02',
        prevArchive: 'archive/2024-01/',
        nextArchive: 'archive/2024-03/',
      }),
    ).$;

    // Assess
    const months = ($: typeof main) =>
      $('nav[aria-label="Archives"] a')
        .toArray()
        .map((a) => $(a).text());
    expect(months(main)).toEqual(['2024-02']);
    expect(months(month)).toEqual(['2024-03', '2024-01']);
  });
});
