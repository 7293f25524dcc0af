import { describe, expect, it } from 'vitest';
import { readEntry } from '../../lambdas/seedfeed/publish/entry.js';
import { makeItem } from '../support/items.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const good = { seedKey: 'seeds/a.txt', uploaded: '2024-01-31T10:15:01.000Z', item: makeItem() };

describe('readEntry', () => {
  it('reads back what the function writes', () => {
    expect(readEntry(bytes(good))).toEqual(good);
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{nope'), 'it is not JSON'],
    ['a list', bytes([good]), 'it is not a JSON object'],
    ['no seed key', bytes({ ...good, seedKey: 1 }), 'it has no seedKey or uploaded string'],
    ['no item', bytes({ ...good, item: 'x' }), 'it has no item'],
    [
      'HTML that is not text',
      bytes({ ...good, item: { ...good.item, contentHtml: { a: 1 } } }),
      'no contentHtml',
    ],
    [
      'an image that is not text',
      bytes({ ...good, item: { ...good.item, image: 5 } }),
      'image is not a string',
    ],
    ['categories of numbers', bytes({ ...good, item: { ...good.item, categories: [1] } }), 'categories'],
  ])('names what is wrong with %s', (_what, body, problem) => {
    expect(readEntry(body)).toContain(problem);
  });
});
