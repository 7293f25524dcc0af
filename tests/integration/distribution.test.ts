import { load } from 'cheerio/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { NEWS_NAMESPACE, SITEMAP_NAMESPACE } from '../../lambdas/seedfeed/render/sitemap.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed } from '../support/seeds.js';
import { childrenNamed, onlyChild, parseXmlStrict } from '../support/xml-tree.js';

const HOUR = 3_600_000;

function sitemapEntries(xml: string): { loc: string; name: string; title: string }[] {
  return childrenNamed(parseXmlStrict(xml), SITEMAP_NAMESPACE, 'url').map((url) => {
    const news = onlyChild(url, NEWS_NAMESPACE, 'news');
    return {
      loc: onlyChild(url, SITEMAP_NAMESPACE, 'loc').text,
      name: onlyChild(onlyChild(news, NEWS_NAMESPACE, 'publication'), NEWS_NAMESPACE, 'name').text,
      title: onlyChild(news, NEWS_NAMESPACE, 'title').text,
    };
  });
}

describe('distribution files through the real handler on the embedded server', () => {
  let pipeline: TestPipeline;

  afterEach(async () => {
    await pipeline.dispose();
  });

  it('publishes news-sitemap.xml with the recent articles and keeps it current, and feeds.opml with every feed', async () => {
    // Prepare
    pipeline = await startPipeline({
      SEEDFEED_CATEGORY_FEEDS: 'true',
      SEEDFEED_NEWS_PUBLICATION_NAME: 'The Example Times',
    });
    const recent = {
      title: 'Fresh & new',
      url: 'https://n.example.com/world/fresh',
      stamp: Date.now() - HOUR,
    };
    const later = {
      title: 'Later still',
      url: 'https://n.example.com/asia/later',
      stamp: Date.now() - 60_000,
    };
    const old = { title: 'Years ago', url: 'https://n.example.com/world/old', stamp: Date.UTC(2024, 0, 15) };

    // Act
    await pipeline.publish({ 'recent.txt': makeSeed(recent), 'old.txt': makeSeed(old) });
    const first = await pipeline.fetch('news-sitemap.xml');
    await pipeline.publish({ 'later.txt': makeSeed(later) });
    const second = await pipeline.fetch('news-sitemap.xml');
    const opml = await pipeline.fetch('feeds.opml');

    // Assess
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/xml; charset=utf-8');
    expect(sitemapEntries(first.body)).toEqual([
      { loc: recent.url, name: 'The Example Times', title: 'Fresh & new' },
    ]);
    expect(sitemapEntries(second.body).map((e) => e.loc)).toEqual([later.url, recent.url]);
    expect(pipeline.queue.deadLetters).toEqual([]);

    expect(opml.type).toBe('text/x-opml; charset=utf-8');
    const root = parseXmlStrict(opml.body);
    const feeds = onlyChild(root, '', 'body').children.flatMap((folder) =>
      folder.children.map((outline) => outline.attributes.xmlUrl ?? ''),
    );
    const base = pipeline.config.publicUrl;
    expect(feeds).toEqual(
      ['', 'categories/asia/', 'categories/world/'].flatMap((path) =>
        ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${base}${path}${file}`),
      ),
    );
    for (const url of feeds) expect((await fetch(url)).status, url).toBe(200);
  });

  it('gives the page NewsArticle JSON-LD, Open Graph and links to the category pages', async () => {
    // Prepare
    pipeline = await startPipeline({ SEEDFEED_CATEGORY_FEEDS: 'true' });

    // Act
    await pipeline.publish({
      'a.txt': makeSeed({ title: 'A &lt;/script&gt; story', url: 'https://n.example.com/world/a' }),
    });
    const $ = load((await pipeline.fetch('index.html')).body);

    // Assess
    const data = JSON.parse($('script[type="application/ld+json"]').text()) as {
      '@graph': { '@type': string; headline: string; url: string; publisher: { name: string } }[];
    };
    expect(data['@graph']).toMatchObject([
      {
        '@type': 'NewsArticle',
        headline: 'A </script> story',
        url: 'https://n.example.com/world/a',
        publisher: { name: 'seedfeed' },
      },
    ]);
    expect($('meta[property="og:type"]').attr('content')).toBe('website');
    expect($('meta[property="og:url"]').attr('content')).toBe(`${pipeline.config.publicUrl}index.html`);
    expect($('nav[aria-label="Categories"] a').first().attr('href')).toBe(
      `${pipeline.config.publicUrl}categories/world/index.html`,
    );
  });

  it('publishes summaries only in excerpt mode, in every feed of every collection', async () => {
    // Prepare
    pipeline = await startPipeline({ SEEDFEED_EXCERPT_ONLY: 'true', SEEDFEED_CATEGORY_FEEDS: 'true' });
    const body =
      '<div>01/02/2024 - 09:30</div><p><strong>The lead readers see.</strong></p><p>The body that stays on the site.</p>';

    // Act
    await pipeline.publish({ 'x.txt': makeSeed({ url: 'https://n.example.com/world/x', body }) });
    const files = [
      'rss.xml',
      'atom.xml',
      'feed.json',
      'categories/world/rss.xml',
      'categories/world/feed.json',
    ];
    const bodies = await Promise.all(files.map(async (file) => (await pipeline.fetch(file)).body));

    // Assess
    for (const [i, text] of bodies.entries()) {
      expect(text, files[i]).toContain('The lead readers see.');
      expect(text, files[i]).not.toContain('The body that stays on the site');
    }
  });
});
