import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { checkItem, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';
import { hostileText, seedText } from './arbitraries.js';

const RUNS = { seed: 20_240_131, numRuns: 120 };

const parsedItem = seedText
  .map((text) => {
    try {
      return parseSeed(
        {
          file: 'seeds/fuzz.txt',
          bytes: new TextEncoder().encode(text),
          uploadedAt: new Date('2025-01-01T00:00:00Z'),
        },
        { defaultLanguage: 'en', maxBytes: 1_048_576 },
      );
    } catch (error) {
      if (error instanceof SeedError) return undefined;
      throw error;
    }
  })
  .filter((item): item is Item => item !== undefined);

/** Items that did not come through the parser: old records, or a parser bug. */
const rawItem = fc
  .record({
    title: hostileText,
    summary: hostileText,
    contentHtml: hostileText,
    categories: fc.array(hostileText, { maxLength: 3 }),
  })
  .map((fields) => makeItem({ ...fields, title: `t${fields.title}` }));

const settings = fc
  .record({ feedTitle: hostileText, feedDescription: hostileText, authorName: hostileText })
  .map((fields) =>
    makeSettings({ ...fields, feedTitle: `f${fields.feedTitle}`, authorName: `a${fields.authorName}` }),
  );

function expectValidFeeds(items: Item[], feedSettings: ReturnType<typeof makeSettings>): void {
  const { files, excluded } = renderFeeds(items, feedSettings);
  // Every generated item is renderable: a render that dropped them all would pass the checks below.
  expect(excluded).toEqual([]);
  for (const file of files.filter((f) => f.key.endsWith('.xml'))) {
    expect(xmlProblem(file.body), file.key).toBeUndefined();
  }
  const json = files.find((f) => f.key === 'feed.json');
  const feed = JSON.parse(json?.body ?? '') as {
    version: string;
    title: string;
    items: Record<string, unknown>[];
  };
  expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
  expect(typeof feed.title).toBe('string');
  for (const item of feed.items) {
    expect(item).toMatchObject({ id: expect.any(String), url: expect.stringMatching(/^https?:\/\//) });
    expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
  }
}

describe('renderFeeds on any items', () => {
  it('gives well-formed XML and valid JSON Feed for parsed seeds', () => {
    fc.assert(
      fc.property(fc.array(parsedItem, { maxLength: 5 }), settings, (items, s) => expectValidFeeds(items, s)),
      RUNS,
    );
  });

  it('gives well-formed XML and valid JSON Feed for items that skipped the parser', () => {
    fc.assert(
      fc.property(fc.array(rawItem, { maxLength: 5 }), settings, (items, s) => expectValidFeeds(items, s)),
      RUNS,
    );
  });
});

describe('checkItem on any item', () => {
  /** Items that may fail: hostile fields, and links or images that are no URL at all. */
  const mayFail = fc
    .record({
      title: hostileText,
      link: fc.oneof(fc.webUrl(), hostileText),
      image: fc.option(fc.oneof(fc.webUrl({ withQueryParameters: true }), hostileText), { nil: undefined }),
    })
    .map(({ title, link, image }) => makeItem({ title, link, ...(image === undefined ? {} : { image }) }));

  it('rejects exactly the items renderFeeds leaves out, with the same reason', () => {
    fc.assert(
      fc.property(mayFail, settings, (item, s) => {
        // Act
        const problem = checkItem(item, s);
        const { excluded, included } = renderFeeds([item], s);

        // Assess
        expect(excluded.map((e) => e.reason)).toEqual(problem === undefined ? [] : [problem]);
        expect(included).toHaveLength(problem === undefined ? 1 : 0);
      }),
      RUNS,
    );
  });
});
