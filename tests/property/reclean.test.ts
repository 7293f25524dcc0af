import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../lambdas/seedfeed/core/clean.js';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { hostileCorpus } from '../support/corpus.js';
import { realSeed } from '../support/seeds.js';
import { seedText } from './arbitraries.js';
import { SHAPE_LINK, SHAPES } from './shapes.js';

const ARTICLES = fileURLToPath(new URL('../fixtures/articles/', import.meta.url));
const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2024-02-01T00:00:00Z');

function parsed(file: string, bytes: Uint8Array) {
  try {
    return parseSeed({ file, bytes, uploadedAt: UPLOADED }, OPTIONS);
  } catch (error) {
    if (error instanceof SeedError) return undefined;
    throw error;
  }
}

/**
 * The renderer cleans every item's HTML again (records are data from storage): for the parser's own
 * output that must change nothing, or a warm instance (items it parsed) and a cold one (items it read
 * back) would publish different bytes.
 */
describe('cleaning the parser output again', () => {
  it('leaves the hostile corpus, the article corpus and the real seed as they were', () => {
    // Prepare
    const { seeds } = hostileCorpus();
    const articles = readdirSync(ARTICLES).map((name): [string, Buffer] => [
      name,
      readFileSync(`${ARTICLES}${name}`),
    ]);
    const items = [
      ...[...Object.entries(seeds), ...articles].map(([name, bytes]) => parsed(name, bytes)),
      parsed('real.txt', Buffer.from(realSeed())),
    ].filter((item) => item !== undefined);

    // Act
    const changed = items.filter((item) => sanitizeHtml(item.contentHtml, item.link) !== item.contentHtml);

    // Assess
    expect(items.length).toBeGreaterThan(50);
    expect(changed.map((item) => item.link)).toEqual([]);
  });

  it('leaves bodies with character references to characters XML forbids as they were', () => {
    // Prepare: references decode to characters that only the parser's output would show.
    const bodies = ['<p>a&#1;b</p>', 'x&#xFFFE;y', '&#x1F;', '<p title="&#8;">z</p>'];

    // Act
    const items = bodies.map((body, n) =>
      parsed(`refs-${n}.txt`, Buffer.from(`[Refs](https://news.example.com/refs-${n})\n------\n\n${body}`)),
    );

    // Assess
    for (const item of items) {
      expect(item).toBeDefined();
      if (!item) continue;
      expect(sanitizeHtml(item.contentHtml, item.link)).toBe(item.contentHtml);
    }
  });

  it('leaves the HTML of any seed-shaped text as it was', () => {
    fc.assert(
      fc.property(seedText, (text) => {
        const item = parsed('fuzz.txt', new TextEncoder().encode(text));
        if (item) expect(sanitizeHtml(item.contentHtml, item.link)).toBe(item.contentHtml);
      }),
      { seed: 20_240_131, numRuns: 400 },
    );
  });

  it('leaves every pathological shape as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHAPES), fc.integer({ min: 200, max: 20_000 }), (shape, size) => {
        const item = parsed(
          'shape.txt',
          Buffer.from(shape.build(size).replace(SHAPE_LINK, `${SHAPE_LINK}-x`)),
        );
        if (item) expect(sanitizeHtml(item.contentHtml, item.link)).toBe(item.contentHtml);
      }),
      { numRuns: 200 },
    );
  });
});
