import { describe, expect, it } from 'vitest';
import type { Author } from '../../lambdas/seedfeed/core/item.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';

// Issue 18: an item's bylines in every format; the feed's own author stays the feed's.

const JANE: Author = { name: 'Jane Doe', url: 'https://news.example.com/staff/jane' };
const JOHN: Author = { name: 'John "Jack" Roe & Sons', email: 'john@news.example.com' };

function filesOf(items = [makeItem({ authors: [JANE, JOHN] })], settings = makeSettings()) {
  const result = renderFeeds(items, settings);
  const body = (key: string) => result.files.find((file) => file.key === key)?.body ?? '';
  return { result, rss: body('rss.xml'), atom: body('atom.xml'), json: JSON.parse(body('feed.json')) };
}

describe('bylines in RSS 2.0', () => {
  it('writes a dc:creator per author, in the dc namespace, and no RSS author for several', () => {
    // Act
    const { rss, result } = filesOf();

    // Assess
    expect(result.excluded).toEqual([]);
    expect(xmlProblem(rss)).toBeUndefined();
    expect(rss).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    expect(rss).toContain('<dc:creator>Jane Doe</dc:creator>');
    expect(rss).toContain('<dc:creator>John "Jack" Roe &#x26; Sons</dc:creator>');
    // RSS has one author per item, and the validator warns of author beside dc:creator.
    expect(rss).not.toContain('<author>');
    // The item's bylines replace the feed's author, which the item would otherwise carry.
    expect(rss).not.toContain('<dc:creator>Example Newsroom</dc:creator>');
  });

  it('writes RSS author alone, "address (name)", for one author whose address is known', () => {
    // Act
    const { rss } = filesOf([makeItem({ authors: [JOHN] })]);

    // Assess
    expect(xmlProblem(rss)).toBeUndefined();
    expect(rss).toContain('<author>john@news.example.com (John "Jack" Roe &#x26; Sons)</author>');
    expect(rss).not.toContain('<dc:creator>');
  });

  it('writes no RSS author when no address is known, and the feed author for an item without bylines', () => {
    // Act
    const { rss } = filesOf([makeItem({ authors: [JANE] }), makeItem()]);

    // Assess
    expect(rss).not.toContain('<author>');
    expect(rss.match(/<dc:creator>/g)).toHaveLength(2);
    expect(rss).toContain('<dc:creator>Example Newsroom</dc:creator>');
  });

  it('puts the item authors in place of a feed author with an address', () => {
    // Act
    const { rss } = filesOf(
      [makeItem({ authors: [JANE] })],
      makeSettings({ authorEmail: 'desk@example.com' }),
    );

    // Assess
    expect(rss).not.toContain('desk@example.com');
    expect(rss).toContain('<dc:creator>Jane Doe</dc:creator>');
  });
});

describe('bylines in Atom 1.0', () => {
  it('writes an author per byline with its name, uri and email, and keeps the feed author in the head', () => {
    // Act
    const { atom } = filesOf();

    // Assess
    expect(xmlProblem(atom)).toBeUndefined();
    const entry = atom.slice(atom.indexOf('<entry>'));
    expect(entry).toContain(
      '<author>\n            <name>Jane Doe</name>\n            <uri>https://news.example.com/staff/jane</uri>\n        </author>',
    );
    expect(entry).toContain(
      '<author>\n            <name>John &quot;Jack&quot; Roe &amp; Sons</name>\n            <email>john@news.example.com</email>\n        </author>',
    );
    expect(atom.slice(0, atom.indexOf('<entry>'))).toContain('<name>Example Newsroom</name>');
  });

  it('writes no entry author for an item without bylines', () => {
    const { atom } = filesOf([makeItem()]);
    expect(atom.slice(atom.indexOf('<entry>'))).not.toContain('<author>');
  });
});

describe('bylines in JSON Feed 1.1', () => {
  it('lists authors with name and url, an address as a mailto: url', () => {
    // Act
    const { json } = filesOf();

    // Assess
    expect(json.items[0].authors).toEqual([
      { name: 'Jane Doe', url: 'https://news.example.com/staff/jane' },
      { name: 'John "Jack" Roe & Sons', url: 'mailto:john@news.example.com' },
    ]);
    expect(json.authors).toEqual([{ name: 'Example Newsroom' }]);
  });

  it('writes no item authors when the item has none (it inherits the feed authors)', () => {
    const { json } = filesOf([makeItem()]);
    expect(json.items[0].authors).toBeUndefined();
  });
});

describe('bylines a forged record carries', () => {
  it.each([
    ['a javascript: page', { name: 'Jane', url: 'javascript:alert(1)' }, 'not an absolute http(s) URL'],
    ['a relative page', { name: 'Jane', url: '/staff/jane' }, 'not an absolute http(s) URL'],
    [
      'a page with a quote',
      { name: 'Jane', url: 'https://e.com/"onmouseover="x' },
      'not an absolute http(s) URL',
    ],
    ['markup in the name', { name: '<script>alert(1)</script>', url: 'https://e.com/' }, 'plain-text name'],
    ['an empty name', { name: '' }, 'plain-text name'],
    ['a name of a thousand characters', { name: 'J'.repeat(1_000) }, 'plain-text name'],
    ['a name on two lines', { name: 'Jane\nDoe' }, 'plain-text name'],
    ['an address that is none', { name: 'Jane', email: 'jane@e.com>"<x' }, 'not an address'],
  ])('leave out an item with %s, with the reason', (_what, author, reason) => {
    // Prepare
    const forged = makeItem({ authors: [author as Author] });

    // Act
    const { result } = filesOf([forged, makeItem()]);

    // Assess
    expect(result.included).toHaveLength(1);
    expect(result.excluded.map((e) => e.item)).toEqual([forged]);
    expect(result.excluded[0]?.reason).toContain(reason);
  });

  it('leave out an item with more authors than the parser ever gives', () => {
    const forged = makeItem({ authors: Array.from({ length: 11 }, (_, i) => ({ name: `Writer ${i}` })) });
    expect(filesOf([forged]).result.excluded[0]?.reason).toContain('11 authors, over 10');
  });
});
