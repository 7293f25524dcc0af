import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { checkItem, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';
import { REAL_SEED_FILE, realSeed } from '../support/seeds.js';

function filesOf(result: ReturnType<typeof renderFeeds>) {
  const byKey = Object.fromEntries(result.files.map((file) => [file.key, file]));
  const get = (key: string) => {
    const file = byKey[key];
    if (!file) throw new Error(`${key} was not rendered`);
    return file.body;
  };
  return { rss: get('rss.xml'), atom: get('atom.xml'), json: JSON.parse(get('feed.json')) };
}

function realItem() {
  return parseSeed(
    { file: REAL_SEED_FILE, bytes: realSeed(), uploadedAt: new Date('2024-02-01T00:00:00Z') },
    { defaultLanguage: 'en', maxBytes: 1_048_576 },
  );
}

describe('renderFeeds on the real seed', () => {
  it('matches the stored snapshots of all three feeds', async () => {
    // Act
    const result = renderFeeds([realItem()], makeSettings({ language: 'zh-CN' }));

    // Assess
    for (const file of result.files) {
      await expect(file.body).toMatchFileSnapshot(`__snapshots__/real-seed.${file.key}`);
    }
  });

  it('gives the same bytes for the same items in any order', () => {
    // Prepare
    const items = [realItem(), makeItem(), makeItem()];

    // Act
    const once = renderFeeds(items, makeSettings());
    const reversed = renderFeeds([...items].reverse(), makeSettings());

    // Assess
    expect(reversed.files).toEqual(once.files);
  });

  it('uploads exactly the UTF-8 of each file text, however its fragments were cached', () => {
    // Prepare: the same items twice, so the second render reuses every memoized fragment.
    const items = [realItem(), makeItem({ title: 'مرحبا 😀 ]]> &amp;' }), makeItem()];
    const first = renderFeeds(items, makeSettings());

    // Act
    const second = renderFeeds(items, makeSettings());

    // Assess
    for (const file of [...first.files, ...second.files]) {
      expect(file.bytes.equals(Buffer.from(file.body, 'utf8')), file.key).toBe(true);
    }
    expect(second.files.map((file) => file.bytes)).toEqual(first.files.map((file) => file.bytes));
  });
});

describe('renderFeeds RSS 2.0', () => {
  it('fills the channel and item fields readers use', () => {
    // Prepare
    const item = makeItem({ image: 'https://img.example.com/a.PNG', categories: ['World', 'Asia'] });

    // Act
    const { rss } = filesOf(renderFeeds([item], makeSettings()));

    // Assess
    expect(rss).toContain('<lastBuildDate>Mon, 01 Jan 2024 00:');
    expect(rss).toContain(
      '<atom:link href="https://feeds.example.com/rss.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(rss).toContain(`<guid isPermaLink="false">${item.id}</guid>`);
    expect(rss).toMatch(/<pubDate>\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT<\/pubDate>/);
    expect(rss).toContain('<dc:creator>Example Newsroom</dc:creator>');
    expect(rss).toContain('<category>World</category>');
    expect(rss).toContain('<category>Asia</category>');
    expect(rss).toContain('<enclosure length="0" type="image/png" url="https://img.example.com/a.PNG"/>');
    expect(rss).toContain(
      '<media:content url="https://img.example.com/a.PNG" medium="image" type="image/png"/>',
    );
    expect(rss).not.toContain('<author>');
  });

  it('declares only the namespaces it uses', () => {
    // Act
    const { rss } = filesOf(renderFeeds([makeItem()], makeSettings({ authorEmail: 'desk@example.com' })));

    // Assess
    expect(rss).toContain('<author>desk@example.com (Example Newsroom)</author>');
    expect(rss).not.toContain('xmlns:dc');
    expect(rss).not.toContain('xmlns:media');
    expect(rss).toContain('xmlns:content');
  });
});

describe('renderFeeds Atom 1.0', () => {
  it('writes plain-text titles, the feed language and per-entry languages', () => {
    // Prepare
    const item = makeItem({ title: 'Tags like <b> & "quotes"', language: 'ar' });

    // Act
    const { atom } = filesOf(renderFeeds([item], makeSettings()));
    const parsed = parseFeed(atom);

    // Assess
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(atom).toContain('<title type="text">Tags like &lt;b&gt; &amp; &quot;quotes&quot;</title>');
    expect(atom).toContain('<entry xml:lang="ar">');
    expect(parsed.items[0]?.title).toBe('Tags like <b> & "quotes"');
  });

  it('gives the enclosure its registered media type', () => {
    const { atom } = filesOf(
      renderFeeds([makeItem({ image: 'https://img.example.com/p.JPG' })], makeSettings()),
    );
    expect(atom).toContain('rel="enclosure" href="https://img.example.com/p.JPG" type="image/jpeg"');
  });
});

describe('renderFeeds JSON Feed 1.1', () => {
  it('writes version 1.1 with authors, language and item fields', () => {
    // Prepare
    const item = makeItem({ image: 'https://img.example.com/a.jpg', categories: ['World'], language: 'fr' });

    // Act
    const { json } = filesOf(
      renderFeeds([item], makeSettings({ iconUrl: 'https://www.example.com/icon.png' })),
    );

    // Assess
    expect(json).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Example News',
      home_page_url: 'https://www.example.com/',
      feed_url: 'https://feeds.example.com/feed.json',
      language: 'en',
      icon: 'https://www.example.com/icon.png',
      authors: [{ name: 'Example Newsroom' }],
    });
    expect(json.items[0]).toEqual({
      id: item.id,
      url: item.link,
      title: item.title,
      content_html: item.contentHtml,
      summary: item.summary,
      image: 'https://img.example.com/a.jpg',
      date_published: item.published,
      date_modified: item.published,
      tags: ['World'],
      language: 'fr',
    });
  });
});

describe('renderFeeds for other views', () => {
  it('writes an RFC 5005 archive with fh:archive and its history links, under its own folder', () => {
    // Prepare
    const view = {
      kind: 'archive' as const,
      path: 'archive/2024-01/',
      label: '2024-01',
      prevArchive: 'archive/2023-12/',
      nextArchive: 'archive/2024-02/',
    };

    // Act
    const result = renderFeeds([makeItem()], makeSettings(), view);
    const byKey = Object.fromEntries(result.files.map((f) => [f.key, f.body]));
    const rss = byKey['archive/2024-01/rss.xml'] ?? '';
    const atom = byKey['archive/2024-01/atom.xml'] ?? '';
    const json = JSON.parse(byKey['archive/2024-01/feed.json'] ?? '{}');

    // Assess
    expect(Object.keys(byKey).sort()).toEqual([
      'archive/2024-01/atom.xml',
      'archive/2024-01/feed.json',
      'archive/2024-01/index.html',
      'archive/2024-01/rss.xml',
    ]);
    for (const xml of [rss, atom]) {
      expect(xmlProblem(xml)).toBeUndefined();
      expect(xml).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"');
      expect(xml).toContain('<fh:archive/>');
    }
    expect(atom).toContain(
      '<link rel="current" href="https://feeds.example.com/atom.xml" type="application/atom+xml"/>',
    );
    expect(atom).toContain(
      '<link rel="prev-archive" href="https://feeds.example.com/archive/2023-12/atom.xml" type="application/atom+xml"/>',
    );
    expect(rss).toContain(
      '<atom:link rel="next-archive" href="https://feeds.example.com/archive/2024-02/rss.xml" type="application/rss+xml"/>',
    );
    expect(atom).toContain('<id>https://feeds.example.com/archive/2024-01/</id>');
    expect(json.title).toBe('Example News — 2024-01');
    expect(json.next_url).toBe('https://feeds.example.com/archive/2023-12/feed.json');
  });

  it('links the main feeds to the newest archive and to category feeds', () => {
    // Prepare
    const view = {
      kind: 'main' as const,
      path: '',
      prevArchive: 'archive/2024-01/',
      related: [{ path: 'categories/中国/', label: '中国' }],
    };

    // Act
    const { rss, atom, json } = filesOf(renderFeeds([makeItem()], makeSettings(), view));

    // Assess
    expect(rss).not.toContain('fh:');
    expect(atom).toContain(
      '<link rel="related" href="https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/atom.xml" type="application/atom+xml" title="中国"/>',
    );
    expect(rss).toContain('rel="prev-archive" href="https://feeds.example.com/archive/2024-01/rss.xml"');
    expect(json.next_url).toBe('https://feeds.example.com/archive/2024-01/feed.json');
    expect(json._seedfeed.categories).toEqual([
      { title: '中国', feed_url: 'https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/feed.json' },
    ]);
  });
});

describe('renderFeeds with a WebSub hub', () => {
  it('advertises the hub in all three feeds', () => {
    // Act
    const { rss, atom, json } = filesOf(
      renderFeeds([makeItem()], makeSettings({ hubUrl: 'https://hub.example.com/' })),
    );

    // Assess
    expect(rss).toContain('<atom:link href="https://hub.example.com/" rel="hub"/>');
    expect(atom).toContain('<link rel="hub" href="https://hub.example.com/"/>');
    expect(json.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.com/' }]);
  });
});

describe('renderFeeds under hostile input', () => {
  it('stays well-formed with CDATA terminators, markup and control characters in every field', () => {
    // Prepare
    const nasty = ']]> ]]> <script>&amp; & "\' \u0001\uFFFE';
    const item = makeItem({
      title: `T ${nasty}`,
      summary: `S ${nasty}`,
      contentHtml: `<p>${nasty}</p>`,
      categories: [`C ${nasty}`],
    });

    // Act
    const { files } = renderFeeds([item], makeSettings({ feedTitle: `F ${nasty}` }));

    // Assess
    for (const file of files.filter((f) => f.key.endsWith('.xml')))
      expect(xmlProblem(file.body)).toBeUndefined();
    expect(() => JSON.parse(files.find((f) => f.key === 'feed.json')?.body ?? '')).not.toThrow();
  });

  it('keeps every "]]>" of a title as text in RSS and Atom', () => {
    // Prepare
    const item = makeItem({ title: 'Ends ]]> twice ]]> here' });

    // Act
    const { rss, atom } = filesOf(renderFeeds([item], makeSettings()));

    // Assess
    expect(parseFeed(rss).items[0]?.title).toBe('Ends ]]> twice ]]> here');
    expect(parseFeed(atom).items[0]?.title).toBe('Ends ]]> twice ]]> here');
  });

  it('leaves out an item it cannot render and reports it', () => {
    // Prepare
    const broken = makeItem({ link: 'not a url' });
    const good = makeItem();

    // Act
    const result = renderFeeds([broken, good], makeSettings());

    // Assess
    expect(result.included).toEqual([good]);
    expect(result.excluded.map((e) => e.item)).toEqual([broken]);
    expect(result.excluded[0]?.reason).toMatch(/not absolute/);
  });

  it('drops the oldest items to stay within the byte budget, and shortens one huge item', () => {
    // Prepare
    const big = (n: number) => makeItem({ contentHtml: `<p>${'x'.repeat(6_000)}</p>`, title: `Big ${n}` });
    const items = Array.from({ length: 10 }, (_, n) => big(n));
    const huge = makeItem({
      contentHtml: `<p>${'y'.repeat(100_000)}</p>`,
      published: '2030-01-01T00:00:00.000Z',
    });

    // Act
    const trimmed = renderFeeds(items, makeSettings({ maxFeedBytes: 32_768 }));
    const shortened = renderFeeds([huge], makeSettings({ maxFeedBytes: 32_768 }));

    // Assess
    expect(trimmed.included.length).toBeGreaterThan(0);
    expect(trimmed.included.length).toBeLessThan(10);
    expect(trimmed.included.map((i) => i.title)).toEqual(
      items
        .slice(-trimmed.included.length)
        .reverse()
        .map((i) => i.title),
    );
    for (const file of [...trimmed.files, ...shortened.files])
      expect(Buffer.byteLength(file.body)).toBeLessThanOrEqual(32_768);
    expect(shortened.included).toHaveLength(1);
    expect(shortened.included[0]?.contentHtml).toContain(huge.summary);
  });

  it('shortens a huge item that is not the newest instead of ending the feed at it', () => {
    // Prepare
    const small = (minute: number) =>
      makeItem({ published: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString() });
    const huge = makeItem({
      contentHtml: `<p>${'y'.repeat(100_000)}</p>`,
      published: new Date(Date.UTC(2024, 0, 1, 0, 30)).toISOString(),
    });
    const items = [small(40), huge, small(20), small(10)];

    // Act
    const result = renderFeeds(items, makeSettings({ maxFeedBytes: 32_768 }));

    // Assess
    expect(result.included.map((i) => i.link)).toEqual(items.map((i) => i.link));
    expect(result.included[1]?.contentHtml).toContain(huge.summary);
    expect(result.included[1]?.contentHtml).not.toContain('yyyy');
    for (const file of result.files) expect(Buffer.byteLength(file.body)).toBeLessThanOrEqual(32_768);
  });
});

describe('renderFeeds with markup characters in item fields (issue 12, finding 4)', () => {
  const image = 'https://cdn.example.com/photo.jpg?w=640&h=360';

  it('publishes an item whose lead image URL holds "&", escaped in every attribute', async () => {
    // Prepare
    const item = makeItem({ image });

    // Act
    const result = renderFeeds([item], makeSettings());
    const { rss, atom, json } = filesOf(result);

    // Assess
    expect(result.excluded).toEqual([]);
    expect(result.included).toHaveLength(1);
    expect(xmlProblem(rss)).toBeUndefined();
    expect(xmlProblem(atom)).toBeUndefined();
    const escaped = 'https://cdn.example.com/photo.jpg?w=640&amp;h=360';
    expect(rss).toContain(`<media:content url="${escaped}" medium="image" type="image/jpeg"/>`);
    expect(rss).toContain(`<media:thumbnail url="${escaped}"/>`);
    expect(rss).toContain(`<enclosure length="0" type="image/jpeg" url="${escaped}"/>`);
    expect(atom).toContain(`<link rel="enclosure" href="${escaped}"`);
    expect(json.items[0].image).toBe(image);
    expect((await new Parser().parseString(rss)).items[0]?.enclosure?.url).toBe(image);
  });

  it('shows the index page item with its image', () => {
    // Act
    const page = renderFeeds([makeItem({ image })], makeSettings()).files.find((f) => f.key === 'index.html');

    // Assess
    expect(page?.body).toContain('<img src="https://cdn.example.com/photo.jpg?w=640&amp;h=360"');
  });

  it('keeps "$" in titles and summaries literally, where string replacements read patterns', () => {
    // Prepare
    const text = "US$$5, $&, $`, $' and $1";
    const escaped = text.replace('&', '&amp;');

    // Act
    const { rss, atom, json } = filesOf(
      renderFeeds([makeItem({ title: text, summary: text })], makeSettings()),
    );

    // Assess
    // RSS writes plain text's "&" as a hexadecimal reference (the RSS Profile's advice).
    expect(rss).toContain(`<title>${text.replace('&', '&#x26;')}</title>`);
    expect(atom).toContain(`<title type="text">${escaped}</title>`);
    expect(atom).toContain(`<summary type="text">${escaped}</summary>`);
    expect(json.items[0].title).toBe(text);
  });
});

describe('checkItem', () => {
  it('passes an item every format renders, a lead image with "&" included', () => {
    expect(
      checkItem(makeItem({ image: 'https://cdn.example.com/photo.jpg?w=640&h=360' }), makeSettings()),
    ).toBe(undefined);
  });

  it.each([
    ['a relative link', { link: '/story' }, 'is not absolute http(s)'],
    ['an empty title', { title: ' ' }, 'item has no title'],
    ['a date that is none', { published: 'yesterday' }, 'is not a date'],
    ['an image URL that is none', { image: 'not a url' }, 'is not absolute http(s)'],
  ])('gives the reason renderFeeds leaves out an item with %s', (_what, fields, reason) => {
    // Prepare
    const item = makeItem(fields);

    // Act
    const problem = checkItem(item, makeSettings());
    const { excluded } = renderFeeds([item], makeSettings());

    // Assess
    expect(problem).toContain(reason);
    expect(excluded.map((e) => e.reason)).toEqual([problem]);
  });
});

describe('when items changed', () => {
  const updatedOf = (atom: string) =>
    [...atom.matchAll(/<entry[^>]*>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);

  it('says when the newest version arrived, in Atom and JSON Feed, and dates the feed by it', () => {
    // Prepare: an old article corrected today, and a newer one never changed.
    const corrected = makeItem({
      published: '2024-01-01T08:00:00.000Z',
      updated: '2024-03-05T12:34:56.789Z',
    });
    const fresh = makeItem({ published: '2024-02-01T08:00:00.000Z' });

    // Act
    const { atom, json } = filesOf(renderFeeds([corrected, fresh], makeSettings()));
    const items = (json as { items: { url: string; date_modified: string; date_published: string }[] }).items;

    // Assess
    expect(items.find((i) => i.url === corrected.link)?.date_modified).toBe('2024-03-05T12:34:56.789Z');
    expect(items.find((i) => i.url === fresh.link)?.date_modified).toBe('2024-02-01T08:00:00.000Z');
    expect(updatedOf(atom)).toEqual(['2024-02-01T08:00:00.000Z', '2024-03-05T12:34:56.789Z']);
    expect(atom).toMatch(/<feed[\s\S]*?<updated>2024-03-05T12:34:56\.789Z<\/updated>/);
  });

  it('never gives two items of one feed the same updated, a millisecond per rank', () => {
    // Prepare: three articles of one batch, all arrived in the same millisecond.
    const at = '2024-03-05T12:00:00.000Z';
    const items = [1, 2, 3].map((n) => makeItem({ published: `2024-01-0${n}T00:00:00.000Z`, updated: at }));

    // Act
    const { atom, json } = filesOf(renderFeeds(items, makeSettings()));
    const modified = (json as { items: { date_modified: string }[] }).items.map((i) => i.date_modified);

    // Assess: newest first in the feed; ties go to the later ones.
    expect(modified).toEqual([
      '2024-03-05T12:00:00.000Z',
      '2024-03-05T12:00:00.001Z',
      '2024-03-05T12:00:00.002Z',
    ]);
    expect(updatedOf(atom)).toEqual(modified);
  });

  it('never dates a change before the article itself', () => {
    // Prepare: a record whose arrival is older than its publish date (a clock skew, an old record).
    const item = makeItem({ published: '2024-05-01T00:00:00.000Z', updated: '2024-04-01T00:00:00.000Z' });

    // Act
    const { json } = filesOf(renderFeeds([item], makeSettings()));

    // Assess
    expect((json as { items: { date_modified: string }[] }).items[0]?.date_modified).toBe(
      '2024-05-01T00:00:00.000Z',
    );
  });
});
