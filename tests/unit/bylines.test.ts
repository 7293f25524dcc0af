import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AUTHOR_LIMITS,
  authorProblem,
  bylineNames,
  parseAuthorLine,
} from '../../lambdas/seedfeed/core/author.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { bylineCases, bylineSeed } from '../fixtures/bylines.js';
import { shape } from '../property/shapes.js';

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2024-06-03T00:00:00.000Z');

const parse = (bytes: Uint8Array, file = 'seeds/x.txt'): Item =>
  parseSeed({ file, bytes, uploadedAt: UPLOADED }, OPTIONS);
const withBody = (body: string): Item =>
  parse(new TextEncoder().encode(`[Title](https://news.example.org/world/a)\n---\n\n${body}`));

describe('the byline corpus', () => {
  const cases = Object.entries(bylineCases());

  it('holds at least 15 newsroom shapes, with and without bylines', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.filter(([, c]) => c.authors.length === 0).length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)('%s credits whom its markup names, and only them', (name, expected) => {
    // Act
    const item = parse(bylineSeed(name), name);

    // Assess
    expect(item.authors ?? []).toEqual(expected.authors);
    if (expected.gone) expect(item.contentHtml).not.toContain(expected.gone);
    if (expected.kept) expect(item.contentHtml).toContain(expected.kept);
    for (const author of item.authors ?? []) expect(authorProblem(author)).toBeUndefined();
  });
});

describe('bylines in hostile seeds', () => {
  it.each(['byline elements', 'nested bylines', 'author links', 'huge by line', 'headers with bylines'])(
    '%s at 300 KB give at most the cap of short, valid authors',
    (name) => {
      // Act
      const item = parse(new TextEncoder().encode(shape(name).build(300 * 1_024)));

      // Assess
      expect(item.authors?.length ?? 0).toBeLessThanOrEqual(AUTHOR_LIMITS.count);
      for (const author of item.authors ?? []) expect(authorProblem(author)).toBeUndefined();
    },
  );

  it('takes no name from a "By" line too long to be a byline, and leaves it in the content', () => {
    // Prepare
    const line = `By ${'Jane Doe and '.repeat(5_000)}John Roe`;

    // Act
    const item = withBody(`<p>${line}</p><p>Text.</p>`);

    // Assess
    expect(item.authors).toBeUndefined();
    expect(item.contentHtml).toContain('John Roe');
  });

  it('keeps a huge element marked as a byline (a wrapper, not a line) with its text', () => {
    // Act
    const item = withBody(
      `<div class="byline-wrapper"><p>By Jane Doe</p>${'<p>Body text.</p>'.repeat(200)}</div>`,
    );

    // Assess
    expect(item.contentHtml).toContain('Body text.');
  });
});

describe('bylineNames', () => {
  it.each([
    ['By Jane Doe', ['Jane Doe']],
    ['By Jane Doe and John Roe, Reuters', ['Jane Doe', 'John Roe']],
    ['By Jane Doe, John Roe and Ann Lee', ['Jane Doe', 'John Roe', 'Ann Lee']],
    ['By Jane Doe, in Kyiv', ['Jane Doe']],
    ['By Ursula von der Leyen', ['Ursula von der Leyen']],
    ['By Jane Doe | June 3, 2024', ['Jane Doe']],
  ])('reads the line "%s"', (text, names) => {
    expect(bylineNames(text, 'line')).toEqual(names);
  });

  it.each([
    'By the river, the old mill still turns.',
    'By Monday Morning, all was calm.',
    'By Air',
    'Jane Doe',
    'By 2030 the city will double',
    'by the way, nobody came',
    'Di Stefano scored twice',
  ])('takes no name from the line "%s"', (text) => {
    expect(bylineNames(text, 'line')).toEqual([]);
  });

  it('takes a one-word name from an element marked as a byline, not from a bare line', () => {
    expect(bylineNames('By Reuters', 'marked')).toEqual(['Reuters']);
    expect(bylineNames('By Reuters', 'line')).toEqual([]);
  });
});

describe('the seed header author line', () => {
  const head = '<!--2024-06-01T10:00:00Z-->';
  const rest =
    '[Title](https://news.example.org/world/a)\n---\n\n<p class="byline">By Jane Doe</p><p>Text.</p>';
  const seed = (header: string) => new TextEncoder().encode(`${header}${rest}`);

  it('credits the author it names, in place of the markup, before or after the timestamp', () => {
    // Act
    const after = parse(
      seed(`${head}\n<!--author: Lena Fischer <lena@example.org> (https://example.org/lena)-->\n`),
    );
    const before = parse(
      seed(`<!--author: Lena Fischer <lena@example.org> (https://example.org/lena)-->\n${head}\n`),
    );

    // Assess
    const lena = { name: 'Lena Fischer', url: 'https://example.org/lena', email: 'lena@example.org' };
    expect(after.authors).toEqual([lena]);
    expect(before).toEqual(after);
    expect(after.published).toBe('2024-06-01T10:00:00.000Z');
    // The byline still leaves the content: the item carries who wrote it.
    expect(after.contentHtml).toBe('<p>Text.</p>');
  });

  it.each([
    ['Tom Berg', { name: 'Tom Berg' }],
    ['Tom Berg <tom@example.org>', { name: 'Tom Berg', email: 'tom@example.org' }],
    ['Tom Berg <https://example.org/tom>', { name: 'Tom Berg', url: 'https://example.org/tom' }],
    ['Tom Berg (https://example.org/tom)', { name: 'Tom Berg', url: 'https://example.org/tom' }],
    ['  Zoë &amp; Co  ', { name: 'Zoë & Co' }],
  ])('reads "%s"', (value, author) => {
    expect(parseAuthorLine(value)).toEqual(author);
  });

  it.each([
    ['', 'no name'],
    ['<tom@example.org>', 'no name'],
    ['Tom (javascript:alert(1))', 'not Name'],
    ['Tom <ftp://example.org/>', 'not an absolute http(s) URL'],
    ['Tom (ftp://example.org/)', 'not an absolute http(s) URL'],
    [`${'T'.repeat(200)}`, 'over 120 characters'],
  ])('rejects "%s" with a reason', (value, reason) => {
    expect(parseAuthorLine(value)).toContain(reason);
  });

  it('rejects a seed whose author line is wrong, naming the line', () => {
    expect(() => parse(seed(`${head}\n<!--author: Tom (ftp://x.org/)-->\n`))).toThrow(
      'seeds/x.txt: author line 2: the author\'s page "ftp://x.org/" is not an absolute http(s) URL',
    );
  });

  it('rejects more author lines than an item may carry', () => {
    const lines = Array.from({ length: 11 }, (_, i) => `<!--author: Writer ${i}-->\n`).join('');
    expect(() => parse(seed(`${head}\n${lines}`))).toThrow('more than 10 author lines');
  });

  it('still rejects a second timestamp, and a first comment that is neither a date nor an author', () => {
    expect(() => parse(seed(`${head}\n${head}\n`))).toThrow('line 2 is not a title link');
    expect(() => parse(seed('<!--authored in 2024-->\n'))).toThrow(
      'timestamp "authored in 2024" is not a date',
    );
  });
});

describe('every seed the project holds', () => {
  // The real seed, the demo and both fixture corpora: none has an author line, and an author line
  // added to any of them changes its authors and nothing else.
  const dirs = ['seeds/', 'seeds/demo/', 'tests/fixtures/articles/', 'tests/fixtures/hostile/'];
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.txt'))
      .map((name) => `${dir}${name}`),
  );

  it.each(files)('%s reads as before with an author line added', (file) => {
    // Prepare
    const bytes = readFileSync(file);
    const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : 'utf-8';
    const text = new TextDecoder(encoding).decode(bytes);
    const outcome = (bytes: Uint8Array) => {
      try {
        return parse(bytes, file);
      } catch (error) {
        return String(error);
      }
    };
    const credited = text.replace(
      /^(\s*<!--[^\n]*-->\r?\n)?/,
      (stamp) => `${stamp}<!--author: Lena Fischer-->\n`,
    );

    // Act
    const plain = outcome(bytes);
    const withAuthor = outcome(new TextEncoder().encode(credited));

    // Assess
    if (typeof plain === 'string') return;
    expect(plain.authors).toBeUndefined();
    expect(withAuthor).toEqual({ ...plain, authors: [{ name: 'Lena Fischer' }] });
  });
});

describe('a byline that is all there is', () => {
  it('stays in the content while the item still credits it', () => {
    // Act
    const item = withBody('<div><p>By Jane Doe</p></div>');

    // Assess
    expect(item.authors).toEqual([{ name: 'Jane Doe' }]);
    expect(item.contentHtml).toBe('<div><p>By Jane Doe</p></div>');
  });
});

describe('links in bylines', () => {
  it.each([
    [
      'an address with a plain mailto: link',
      '<address>Written by <a href="mailto:jane.doe@news.example.org">Jane Doe</a></address>',
      [{ name: 'Jane Doe', email: 'jane.doe@news.example.org' }],
    ],
    [
      'a mailto: link that does not decode',
      '<address><a href="mailto:%E0%A4%A">Jane Doe</a></address>',
      [{ name: 'Jane Doe' }],
    ],
    ['an author link of a handle', '<p>Text by <a rel="author" href="https://x.com/jd">@jd</a>.</p>', []],
    [
      'an author link of an avatar, named by its title',
      '<a rel="author" title="Jane Doe" href="/staff/jane"><img src="/a.jpg" alt=""></a><p>Text.</p>',
      [{ name: 'Jane Doe', url: 'https://news.example.org/staff/jane' }],
    ],
    [
      'one author and one link beside the name',
      '<div class="author"><span class="author-name">Jane Doe</span> <a href="/staff/jane">Profile</a></div>',
      [{ name: 'Jane Doe', url: 'https://news.example.org/staff/jane' }],
    ],
  ])('%s', (_what, body, authors) => {
    expect(withBody(`${body}<p>More text.</p>`).authors ?? []).toEqual(authors);
  });

  it('rejects a header author whose <…> is neither an address nor a page beside a (page)', () => {
    expect(parseAuthorLine('Tom <not an address> (https://example.org/tom)')).toContain(
      '"not an address" is not an e-mail address',
    );
  });
});
