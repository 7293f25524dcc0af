import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { checkItem } from '../../lambdas/seedfeed/render/feeds.js';
import { makeSettings } from '../support/items.js';
import { pathologicalSeed, shapedSeed } from './shapes.js';

// Seeds of pathological structure (issue 12): whatever their shape, the parser gives an item or a
// SeedError, never another exception, and every item it gives renders in every format. Sizes stay
// small enough for a few seconds a property; the regression tests and the benchmark take them to
// the size limit.

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2025-03-04T05:06:07.000Z');
const SETTINGS = makeSettings();

/** The item, or undefined for a SeedError; any other exception fails the property. */
function parse(text: string): Item | undefined {
  try {
    return parseSeed(
      { file: 'seeds/shape.txt', bytes: new TextEncoder().encode(text), uploadedAt: UPLOADED },
      OPTIONS,
    );
  } catch (error) {
    if (error instanceof SeedError) return undefined;
    throw error;
  }
}

function expectRenderable(item: Item | undefined): void {
  if (item) expect(checkItem(item, SETTINGS)).toBeUndefined();
}

describe('parseSeed on seeds of pathological structure', () => {
  it('gives an item that renders, or a SeedError, for every shape at any size up to 24 KB', () => {
    fc.assert(
      fc.property(shapedSeed(24 * 1_024), (text) => expectRenderable(parse(text))),
      { seed: 20_241_201, numRuns: 50 },
    );
  });

  it('gives an item that renders, or a SeedError, for long runs of nesting, breaks and odd URLs', () => {
    fc.assert(
      fc.property(pathologicalSeed(400), (text) => expectRenderable(parse(text))),
      { seed: 20_241_202, numRuns: 60 },
    );
  });
});
