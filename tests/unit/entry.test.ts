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
    [
      'a corrected mark that is not true',
      bytes({ ...good, item: { ...good.item, corrected: '<b>yes</b>' } }),
      'corrected mark is not true',
    ],
    ['categories of numbers', bytes({ ...good, item: { ...good.item, categories: [1] } }), 'categories'],
  ])('names what is wrong with %s', (_what, body, problem) => {
    expect(readEntry(body)).toContain(problem);
  });
});

describe('readEntry of bylines', () => {
  const withAuthors = (authors: unknown) => bytes({ ...good, item: { ...good.item, authors } });

  it('reads back authors with a name and an optional url and email', () => {
    const authors = [
      { name: 'Jane Doe', url: 'https://e.com/jane', email: 'jane@e.com' },
      { name: 'John Roe' },
    ];
    expect(readEntry(withAuthors(authors))).toEqual({ ...good, item: { ...good.item, authors } });
  });

  it.each([
    ['not a list', { name: 'Jane' }],
    ['a list of strings', ['Jane']],
    ['an author without a name', [{ url: 'https://e.com/' }]],
    ['a name that is not text', [{ name: 5 }]],
    ['a url that is not text', [{ name: 'Jane', url: ['https://e.com/'] }]],
    ['an email that is not text', [{ name: 'Jane', email: null }]],
  ])('rejects authors that are %s', (_what, authors) => {
    expect(readEntry(withAuthors(authors))).toContain('authors are not a list');
  });
});
