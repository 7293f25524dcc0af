import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { anyText, seedText } from './arbitraries.js';

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2025-03-04T05:06:07.000Z');
const RUNS = { seed: 20_240_131, numRuns: 300 };

/** The item, or undefined for a SeedError; any other exception fails the property. */
function parse(bytes: Uint8Array): Item | undefined {
  try {
    return parseSeed({ file: 'seeds/fuzz.txt', bytes, uploadedAt: UPLOADED }, OPTIONS);
  } catch (error) {
    if (error instanceof SeedError) {
      expect(error.message.startsWith('seeds/fuzz.txt: ')).toBe(true);
      return undefined;
    }
    throw error;
  }
}

function expectUsable(item: Item | undefined): void {
  if (!item) return;
  expect(item.link).toMatch(/^https?:\/\//);
  expect(item.title.trim()).not.toBe('');
  expect(Number.isNaN(Date.parse(item.published))).toBe(false);
  expect(item.id).toMatch(/^urn:uuid:/);
}

describe('parseSeed on any input', () => {
  it('returns an item or throws SeedError for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => expectUsable(parse(bytes))),
      RUNS,
    );
  });

  it('returns an item or throws SeedError for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => expectUsable(parse(new TextEncoder().encode(text)))),
      RUNS,
    );
  });

  it('returns a usable item or throws SeedError for seed-shaped strings', () => {
    fc.assert(
      fc.property(seedText, (text) => expectUsable(parse(new TextEncoder().encode(text)))),
      RUNS,
    );
  });
});
