import { describe, expect, it } from 'vitest';
import { renderFeeds, type View } from '../../lambdas/seedfeed/render/feeds.js';
import { renderOpml } from '../../lambdas/seedfeed/render/opml.js';
import { makeItem, makeSettings } from '../support/items.js';
import { onlyChild, parseXmlStrict, type XmlElement } from '../support/xml-tree.js';

const BASE = 'https://feeds.example.com/';

/** OPML 2.0 as its spec has it: every outline has `text`; a `type="rss"` outline has an `xmlUrl`. */
function readOpml(xml: string): { title: string; folders: { text: string; feeds: XmlElement[] }[] } {
  const root = parseXmlStrict(xml);
  expect([root.uri, root.local, root.attributes.version]).toEqual(['', 'opml', '2.0']);
  const head = onlyChild(root, '', 'head');
  const body = onlyChild(root, '', 'body');
  const outlines = (e: XmlElement) => e.children.filter((c) => c.local === 'outline');
  const all = outlines(body).flatMap((folder) => [folder, ...outlines(folder)]);
  for (const outline of all) expect(outline.attributes.text?.trim()).toBeTruthy();
  return {
    title: onlyChild(head, '', 'title').text,
    folders: outlines(body).map((folder) => {
      const feeds = outlines(folder);
      for (const feed of feeds) {
        expect(feed.attributes.type).toBe('rss');
        expect(new URL(feed.attributes.xmlUrl ?? '').href).toBe(feed.attributes.xmlUrl);
      }
      return { text: folder.attributes.text ?? '', feeds };
    }),
  };
}

const urls = (feeds: XmlElement[]) => feeds.map((f) => f.attributes.xmlUrl);

describe('renderOpml', () => {
  it('lists the RSS, Atom and JSON feeds of every group and view, with their pages', () => {
    // Prepare
    const groups = [
      { title: 'All articles', views: [{ path: '', label: '' }] },
      { title: 'Categories', views: [{ path: 'categories/world/', label: 'world' }] },
      { title: 'Authors', views: [{ path: 'authors/ana-lima/', label: 'Ana Lima' }] },
      { title: 'Empty', views: [] },
    ];

    // Act
    const opml = readOpml(renderOpml(makeSettings(), groups));

    // Assess
    expect(opml.title).toBe('Example News: feeds');
    expect(opml.folders.map((f) => f.text)).toEqual(['All articles', 'Categories', 'Authors']);
    const [main, categories, authors] = opml.folders.map((f) => f.feeds);
    expect(urls(main ?? [])).toEqual([`${BASE}rss.xml`, `${BASE}atom.xml`, `${BASE}feed.json`]);
    expect(urls(categories ?? [])).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${BASE}categories/world/${f}`),
    );
    expect(urls(authors ?? [])).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${BASE}authors/ana-lima/${f}`),
    );
    expect(authors?.[0]?.attributes).toMatchObject({
      text: 'Example News — Ana Lima (RSS)',
      htmlUrl: `${BASE}authors/ana-lima/index.html`,
      version: 'RSS',
      language: 'en',
    });
  });

  it('escapes labels and settings, which read back as written (XML-illegal characters dropped)', () => {
    // Prepare
    const label = 'R&D <"lab"> \u0001';
    const settings = makeSettings({ feedTitle: 'Smith & Sons "Daily" <news>' });

    // Act
    const opml = readOpml(
      renderOpml(settings, [{ title: label, views: [{ path: 'categories/r-d/', label }] }]),
    );

    // Assess
    expect(opml.title).toBe('Smith & Sons "Daily" <news>: feeds');
    expect(opml.folders[0]?.text).toBe('R&D <"lab">');
    expect(opml.folders[0]?.feeds[0]?.attributes.text).toBe(
      'Smith & Sons "Daily" <news> — R&D <"lab"> (RSS)',
    );
  });
});

describe('renderFeeds publishes feeds.opml', () => {
  it('for the main view, listing its categories and authors but no archive month', () => {
    // Prepare
    const view: View = {
      kind: 'main',
      path: '',
      prevArchive: 'archive/2024-01/',
      related: [{ path: 'categories/world/', label: 'world' }],
      authors: [{ path: 'authors/ana/', label: 'Ana' }],
    };

    // Act
    const file = renderFeeds([makeItem()], makeSettings(), view).files.find((f) => f.key === 'feeds.opml');
    const opml = readOpml(file?.body ?? '');

    // Assess
    expect(file?.contentType).toBe('text/x-opml; charset=utf-8');
    expect(opml.folders.flatMap((f) => urls(f.feeds))).toHaveLength(9);
    expect(file?.body).not.toContain('archive/');
  });

  it('with bytes that do not change with the items, so uploads do not rewrite it', () => {
    // Act
    const one = renderFeeds([makeItem()], makeSettings()).files.find((f) => f.key === 'feeds.opml');
    const other = renderFeeds([makeItem(), makeItem()], makeSettings()).files.find(
      (f) => f.key === 'feeds.opml',
    );

    // Assess
    expect(one?.body).toBe(other?.body);
  });
});
