import { describe, expect, it } from 'vitest';
import {
  authorLabel,
  categorySegment,
  collectionPath,
  collectionsOf,
  collectionView,
  labelOf,
  mainView,
  type SiteMap,
} from '../../lambdas/seedfeed/publish/collections.js';
import { makeItem } from '../support/items.js';

const MAP: SiteMap = {
  categories: [{ collection: 'category/中国', label: '中国' }],
  authors: [{ collection: 'author/jane-doe', label: 'jane doe' }],
  months: ['2023-12', '2024-01', '2024-03'],
};

describe('collectionsOf', () => {
  it('puts an item in each of its categories and in its month', () => {
    // Prepare
    const item = makeItem({ categories: ['World', '中国', 'World'], published: '2024-01-31T10:15:01.000Z' });

    // Act / Assess
    expect(collectionsOf(item, { categoryFeeds: true, archives: true, authorFeeds: false })).toEqual([
      'category/world',
      'category/中国',
      'month/2024-01',
    ]);
    expect(collectionsOf(item, { categoryFeeds: false, archives: false, authorFeeds: false })).toEqual([]);
  });
});

describe('categorySegment', () => {
  it.each([
    ['World News', 'world-news'],
    ['中国', '中国'],
    ['a/b?c#d%e', 'a-b-c-d-e'],
    ['../../etc', 'etc'],
    ['Ｗｏｒｌｄ', 'world'],
    ['   ', 'untitled'],
  ])('makes %j the stable, safe segment %j', (name, segment) => {
    expect(categorySegment(name)).toBe(segment);
  });
});

describe('views of collections', () => {
  it('links the main feeds to the newest archive and lists the categories, authors and months', () => {
    expect(mainView(MAP)).toEqual({
      kind: 'main',
      path: '',
      prevArchive: 'archive/2024-03/',
      related: [{ path: 'categories/中国/', label: '中国' }],
      authors: [{ path: 'authors/jane-doe/', label: 'jane doe' }],
      archives: ['2024-03', '2024-01', '2023-12'].map((m) => ({ path: `archive/${m}/`, label: m })),
    });
  });

  it('links each archive month to its neighbours, RFC 5005 style', () => {
    expect(collectionView('month/2024-01', '2024-01', MAP)).toEqual({
      kind: 'archive',
      path: 'archive/2024-01/',
      label: '2024-01',
      prevArchive: 'archive/2023-12/',
      nextArchive: 'archive/2024-03/',
    });
    expect(collectionView('month/2023-12', '2023-12', MAP).prevArchive).toBeUndefined();
    expect(collectionView('month/2024-03', '2024-03', MAP).nextArchive).toBeUndefined();
  });

  it('gives a category its own folder and title', () => {
    expect(collectionPath('category/中国')).toBe('categories/中国/');
    expect(collectionView('category/中国', '中国', MAP)).toEqual({
      kind: 'category',
      path: 'categories/中国/',
      label: '中国',
    });
  });
});

describe('author collections', () => {
  const item = makeItem({
    authors: [{ name: 'Jane Doe' }, { name: 'Seán Ó Briain' }, { name: 'JANE DOE' }],
    categories: ['World'],
    published: '2024-01-31T10:15:01.000Z',
  });

  it('puts an item in one collection per author, once per name whatever its case, only when asked', () => {
    expect(collectionsOf(item, { categoryFeeds: false, archives: false, authorFeeds: true })).toEqual([
      'author/jane-doe',
      'author/seán-ó-briain',
    ]);
    expect(collectionsOf(item, { categoryFeeds: true, archives: false, authorFeeds: false })).toEqual([
      'category/world',
    ]);
    expect(collectionsOf(makeItem(), { categoryFeeds: false, archives: false, authorFeeds: true })).toEqual(
      [],
    );
  });

  it('gives an author a folder under authors/ and a view of their own, titled by their byline', () => {
    expect(collectionPath('author/jane-doe')).toBe('authors/jane-doe/');
    expect(labelOf('author/jane-doe')).toBe('jane doe');
    expect(authorLabel('author/jane-doe', [makeItem(), item])).toBe('Jane Doe');
    expect(authorLabel('author/ann-lee', [item])).toBe('ann lee');
    expect(collectionView('author/jane-doe', 'Jane Doe', MAP)).toEqual({
      kind: 'author',
      path: 'authors/jane-doe/',
      label: 'Jane Doe',
    });
  });

  it('makes a safe folder of any byline', () => {
    expect(collectionPath(`author/${categorySegment('../../feeds/atom.xml')}`)).toBe(
      'authors/feeds-atom.xml/',
    );
  });
});
