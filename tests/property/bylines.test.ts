import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorProblem } from '../../lambdas/seedfeed/core/author.js';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Author, Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { checkItem, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';
import { hostileText } from './arbitraries.js';

// Bylines of any text, in every place the parser reads them and in records that skipped the parser.

const RUNS = { seed: 20_241_201, numRuns: 150 };

const href = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc.constantFrom('javascript:alert(1)', 'mailto:a@b.co', 'mailto:"x"@y', '/staff/a', 'data:,x', ''),
  hostileText,
);

// Each template puts a name and a link where a newsroom would.
const TEMPLATES = [
  (n: string) => `<p class="byline">By ${n}</p>`,
  (n: string, h: string) => `<p>By <a href="${h}">${n}</a> and ${n}</p>`,
  (n: string, h: string) => `<address><a rel="author" href="${h}">${n}</a></address>`,
  (n: string, h: string) =>
    `<div itemprop="author"><span itemprop="name">${n}</span><a href="${h}">x</a></div>`,
  (n: string, h: string) =>
    `<header><span class="author vcard"><a class="fn url" href="${h}">${n}</a></span></header>`,
  (n: string) => `<head><meta name="author" content="${n}"></head>`,
];

// Names that read as names, some with hostile text around them, and hostile text alone.
const name = fc.oneof(
  fc.constantFrom('Jane Doe', 'Zoë O&#39;Brien &amp; Seán Ó Briain', 'JANE DOE AND JOHN ROE', 'محمد علي'),
  fc.tuple(fc.constantFrom('Jane Doe', 'Ann Lee'), hostileText).map(([a, b]) => `${a}${b}`),
  hostileText,
);

const seed = fc
  .record({
    template: fc.integer({ min: 0, max: TEMPLATES.length - 1 }),
    name,
    href,
    header: fc.option(fc.tuple(name, href), { nil: undefined }),
  })
  .map(({ template, name: written, href, header }) => {
    const line = header ? `<!--author: ${header[0]} <${header[1]}>-->\n` : '';
    const body = (TEMPLATES[template] ?? TEMPLATES[0])?.(written, href) ?? '';
    return `<!--2024-06-01T10:00:00Z-->\n${line}[Title](https://news.example.org/world/a)\n---\n\n${body}<p>Text.</p>`;
  });

function parsed(text: string): Item | undefined {
  try {
    return parseSeed(
      { file: 'seeds/fuzz.txt', bytes: new TextEncoder().encode(text), uploadedAt: new Date(0) },
      { defaultLanguage: 'en', maxBytes: 1_048_576 },
    );
  } catch (error) {
    if (error instanceof SeedError) return undefined;
    throw error;
  }
}

describe('bylines the parser reads from any text', () => {
  it('are short plain names with http(s) pages, and every feed of them renders well-formed', () => {
    fc.assert(
      fc.property(seed, (text) => {
        // Act
        const item = parsed(text);
        if (!item) return;
        const { files, excluded } = renderFeeds([item], makeSettings());

        // Assess
        for (const author of item.authors ?? []) expect(authorProblem(author)).toBeUndefined();
        expect(excluded).toEqual([]);
        for (const file of files.filter((f) => f.key.endsWith('.xml')))
          expect(xmlProblem(file.body)).toBeUndefined();
        expect(() => JSON.parse(files.find((f) => f.key === 'feed.json')?.body ?? '')).not.toThrow();
      }),
      RUNS,
    );
  });
});

describe('bylines in records that skipped the parser', () => {
  const author = fc
    .record({
      name: hostileText,
      url: fc.option(href, { nil: undefined }),
      email: fc.option(fc.oneof(fc.emailAddress(), hostileText), { nil: undefined }),
    })
    .map(
      ({ name, url, email }): Author => ({
        name,
        ...(url === undefined ? {} : { url }),
        ...(email === undefined ? {} : { email }),
      }),
    );

  it('are rendered well-formed, or the item is left out with the reason checkItem gives', () => {
    fc.assert(
      fc.property(fc.array(author, { maxLength: 12 }), (authors) => {
        // Prepare
        const item = makeItem({ authors });

        // Act
        const problem = checkItem(item, makeSettings());
        const { files, excluded } = renderFeeds([item], makeSettings());

        // Assess
        expect(excluded.map((e) => e.reason)).toEqual(problem === undefined ? [] : [problem]);
        for (const file of files.filter((f) => f.key.endsWith('.xml')))
          expect(xmlProblem(file.body)).toBeUndefined();
      }),
      RUNS,
    );
  });
});
