import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SiteMap } from '../../lambdas/seedfeed/publish/collections.js';
import { entryName, StateKeys, versionOf } from '../../lambdas/seedfeed/publish/keys.js';
import {
  chooseNewest,
  type FeedSet,
  feedSets,
  onlyAdded,
  sameListing,
  withNeighbours,
  writeStep,
} from '../../lambdas/seedfeed/publish/render-plan.js';
import { MAIN_VIEW } from '../../lambdas/seedfeed/render/feeds.js';

const keys = new StateKeys('state/', 'rejected/');
const entryKey = (name: string) => keys.entry(name);

/** An index key for version `n` of the article at `/a/<article>`, published `day` days after 2024-01-01. */
function indexed(article: string, day: number, n: number): { key: string; etag: string } {
  const published = new Date(Date.UTC(2024, 0, 1 + day));
  const version = versionOf(n.toString(16)) as string;
  const { name } = entryName(
    published,
    `https://x.example/a/${article}`,
    published,
    `seeds/${article}`,
    version,
    'run00001',
  );
  return { key: `${keys.index}${name}`, etag: `etag-${article}-${n}` };
}

const mainSet = (limit: number): FeedSet => ({
  prefix: keys.index,
  limit,
  view: () => MAIN_VIEW,
  cacheControl: 'public, max-age=60',
});

describe('chooseNewest', () => {
  it('keeps the first (newest) entry of each article, with its ETag from the index', () => {
    // Prepare: a LIST is in key order, so newer publish times and newer versions come first.
    const listed = [indexed('b', 9, 2), indexed('b', 9, 1), indexed('a', 3, 1)].sort((x, y) =>
      x.key.localeCompare(y.key),
    );

    // Act
    const newest = chooseNewest(listed, 10, mainSet(5), entryKey, true);

    // Assess: b's version 2 wins over version 1; the listing ran out, so one key more confirms it.
    expect(newest?.chosen).toEqual([
      { key: keys.entry(indexed('b', 9, 2).key.slice(keys.index.length)), etag: 'etag-b-2' },
      { key: keys.entry(indexed('a', 3, 1).key.slice(keys.index.length)), etag: 'etag-a-1' },
    ]);
    expect(newest?.size).toBe(4);
  });

  it('stops at the limit and says how many keys reproduce the choice', () => {
    const listed = [indexed('c', 9, 1), indexed('b', 8, 1), indexed('a', 7, 1)];

    const newest = chooseNewest(listed, 3, mainSet(2), entryKey, true);

    expect(newest?.chosen.map((c) => c.etag)).toEqual(['etag-c-1', 'etag-b-1']);
    expect(newest?.size).toBe(2);
  });

  it('asks for a longer listing when one cut short did not reach the limit', () => {
    // Prepare: two keys asked, both versions of one article, so only one article was seen.
    const listed = [indexed('b', 9, 2), indexed('b', 9, 1)];

    expect(chooseNewest(listed, 2, mainSet(2), entryKey, true)).toBeUndefined();
  });

  it('reads memberships without an ETag: only the entry they name is known by the index', () => {
    const prefix = keys.collection('category/world');
    const member = indexed('a', 1, 1);
    const listed = [{ key: `${prefix}${member.key.slice(keys.index.length)}`, etag: 'empty-object' }];

    const newest = chooseNewest(listed, 10, { ...mainSet(5), prefix }, entryKey, false);

    expect(newest?.chosen).toEqual([{ key: keys.entry(member.key.slice(keys.index.length)), etag: '' }]);
  });
});

describe('writeStep', () => {
  const bytes = Buffer.from('<rss/>');
  const md5 = createHash('md5').update(bytes).digest('hex');

  it('creates a file that is not there only where none is', () => {
    expect(writeStep(bytes, null, undefined)).toEqual({ kind: 'put', condition: { ifNoneMatch: '*' } });
  });

  it('confirms with a HEAD when the bytes are what this instance wrote last and is still live', () => {
    expect(writeStep(bytes, 'e1', { etag: 'e1', bytes: Buffer.from('<rss/>') })).toEqual({ kind: 'confirm' });
  });

  it('adopts live bytes it does not hold when their MD5 is the ETag a HEAD found', () => {
    expect(writeStep(bytes, md5, undefined)).toEqual({ kind: 'adopt' });
    expect(writeStep(bytes, md5, { etag: 'e0', bytes: undefined })).toEqual({ kind: 'adopt' });
  });

  it('confirms with a HEAD when the match is with an ETag it only remembers writing', () => {
    expect(writeStep(bytes, md5, { etag: md5, bytes: undefined })).toEqual({ kind: 'confirm' });
  });

  it('writes changed bytes only over the version seen before the listing', () => {
    expect(writeStep(bytes, 'e1', { etag: 'e1', bytes: Buffer.from('<old/>') })).toEqual({
      kind: 'put',
      condition: { ifMatch: 'e1' },
    });
    // Someone else wrote since this instance did: its remembered bytes say nothing about what is live.
    expect(writeStep(bytes, 'e2', { etag: 'e1', bytes })).toEqual({
      kind: 'put',
      condition: { ifMatch: 'e2' },
    });
  });
});

describe('feedSets', () => {
  const map: SiteMap = { categories: [], authors: [], months: ['2024-01', '2024-03', '2024-05'] };
  const plan = {
    indexPrefix: keys.index,
    collectionPrefix: (c: string) => keys.collection(c),
    itemsPerFeed: 10,
    cacheControl: 'public, max-age=60',
  };

  it('renders the main feeds first, then touched collections and the months beside a touched month', () => {
    const sets = feedSets(['month/2024-03', 'category/world'], map, plan);

    expect(sets.map((s) => s.prefix)).toEqual([
      keys.index,
      keys.collection('category/world'),
      keys.collection('month/2024-01'),
      keys.collection('month/2024-03'),
      keys.collection('month/2024-05'),
    ]);
  });

  it('lets caches keep a past month for a week, but not the newest one', () => {
    const sets = feedSets(['month/2024-03', 'month/2024-05'], map, plan);
    const control = (prefix: string) => sets.find((s) => s.prefix === prefix)?.cacheControl;

    expect(control(keys.collection('month/2024-03'))).toContain('immutable');
    expect(control(keys.collection('month/2024-05'))).toBe('public, max-age=60');
    expect(sets.find((s) => s.prefix === keys.collection('month/2024-03'))?.limit).toBeGreaterThan(10);
  });

  it('adds no neighbour to a category', () => {
    expect(withNeighbours(['category/world'], map)).toEqual(['category/world']);
  });
});

describe('sameListing', () => {
  it('tells listings apart by keys and ETags', () => {
    const a = [indexed('a', 1, 1)];
    expect(sameListing(a, [{ ...indexed('a', 1, 1) }])).toBe(true);
    expect(sameListing(a, [{ ...indexed('a', 1, 1), etag: 'other' }])).toBe(false);
    expect(sameListing(a, [])).toBe(false);
  });
});

describe('onlyAdded', () => {
  const set = mainSet(2);
  const chosen = (listed: { key: string; etag: string }[]) =>
    chooseNewest(listed, listed.length + 1, set, entryKey, true)?.chosen ?? [];

  it('says the set only grew when every rendered entry is still listed, even pushed past the limit', () => {
    // Prepare: b and a rendered; c arrives on top, so a is no longer among the newest two.
    const rendered = chosen([indexed('b', 8, 1), indexed('a', 7, 1)]);
    const after = [indexed('c', 9, 1), indexed('b', 8, 1), indexed('a', 7, 1)];

    // Act, Assess
    expect(onlyAdded(rendered, after, set, entryKey, true)).toBe(true);
  });

  it('says otherwise when a rendered entry was removed or rewritten', () => {
    const rendered = chosen([indexed('b', 8, 1), indexed('a', 7, 1)]);

    expect(onlyAdded(rendered, [indexed('c', 9, 1), indexed('b', 8, 1)], set, entryKey, true)).toBe(false);
    const rewritten = [indexed('b', 8, 1), { ...indexed('a', 7, 1), etag: 'corrected' }];
    expect(onlyAdded(rendered, rewritten, set, entryKey, true)).toBe(false);
  });

  it('reads a collection listing by the entries its memberships name', () => {
    const prefix = keys.collection('category/world');
    const collection = { ...set, prefix };
    const member = (article: string, day: number) => {
      const { key } = indexed(article, day, 1);
      return { key: `${prefix}${key.slice(keys.index.length)}`, etag: 'empty-object' };
    };
    const rendered = chooseNewest([member('a', 7)], 2, collection, entryKey, false)?.chosen ?? [];

    expect(onlyAdded(rendered, [member('c', 9), member('a', 7)], collection, entryKey, false)).toBe(true);
    expect(onlyAdded(rendered, [member('c', 9)], collection, entryKey, false)).toBe(false);
  });
});
