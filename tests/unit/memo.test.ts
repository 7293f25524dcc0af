import { describe, expect, it } from 'vitest';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { WrittenFiles } from '../../lambdas/seedfeed/publish/cache.js';
import { RenderCache } from '../../lambdas/seedfeed/render/memo.js';
import { makeItem } from '../support/items.js';

/** A cache of strings weighed by their length, with a counter of how often a value was made. */
function lengthCache(entries: number, bytes: number) {
  const cache = new RenderCache({ entries, bytes });
  let made = 0;
  const get = (key: string, value = key, kind = 'text') =>
    cache.get(
      kind,
      key,
      () => {
        made++;
        return value;
      },
      (v) => v.length,
    );
  return { get, made: () => made, cache };
}

describe('RenderCache', () => {
  it('makes a value once and returns it while it is kept', () => {
    // Prepare
    const memo = lengthCache(10, 1_000);

    // Act
    const values = [memo.get('a'), memo.get('a'), memo.get('b'), memo.get('a')];

    // Assess
    expect(values).toEqual(['a', 'a', 'b', 'a']);
    expect(memo.made()).toBe(2);
  });

  it('drops the least recently used values past either bound', () => {
    // Prepare: room for three entries or 10 bytes.
    const memo = lengthCache(3, 10);
    memo.get('a', 'xxxx');
    memo.get('b', 'xxxx');
    memo.get('a', 'xxxx'); // a is now the most recently used

    // Act: 4 + 4 + 4 bytes passes the byte bound, so the oldest (b) goes.
    memo.get('c', 'xxxx');
    const before = memo.made();
    memo.get('a', 'xxxx');
    memo.get('c', 'xxxx');
    const keptBoth = memo.made() === before;
    memo.get('b', 'xxxx');

    // Assess
    expect(keptBoth).toBe(true);
    expect(memo.made()).toBe(before + 1);
  });

  it('returns a value larger than the whole bound without keeping it', () => {
    // Prepare
    const memo = lengthCache(10, 5);

    // Act
    memo.get('big', 'x'.repeat(6));
    memo.get('big', 'x'.repeat(6));

    // Assess
    expect(memo.made()).toBe(2);
  });
  it('keeps values of different kinds apart under one key', () => {
    // Prepare
    const memo = lengthCache(10, 1_000);

    // Act
    const rss = memo.get('k', 'rss text', 'rss');
    const page = memo.get('k', 'page text', 'page');

    // Assess
    expect([rss, page]).toEqual(['rss text', 'page text']);
    expect(memo.made()).toBe(2);
  });

  it('weighs every kind against one byte bound', () => {
    // Prepare: 10 bytes in all, whatever the kind.
    const memo = lengthCache(10, 10);
    memo.get('a', 'xxxxxx', 'rss');

    // Act: a second kind passes the shared bound, so the first value goes.
    memo.get('a', 'xxxxxx', 'atom');
    memo.get('a', 'xxxxxx', 'rss');

    // Assess
    expect(memo.made()).toBe(3);
  });

  it('hashes an item object once, and equal items alike', () => {
    // Prepare
    const { cache } = lengthCache(10, 1_000);
    const item = makeItem({ title: 'One' });

    // Act
    const first = cache.keyOf(item);
    const again = cache.keyOf(item);
    const twin = cache.keyOf({ ...item });
    const other = cache.keyOf(makeItem({ title: 'Two' }));

    // Assess
    expect(again).toBe(first);
    expect(twin).toBe(first);
    expect(other).not.toBe(first);
  });

  it('tells bodies apart that UTF-8 would not, and moves no text between fields unnoticed', () => {
    // Prepare: a lone surrogate becomes U+FFFD in UTF-8; a body's end could pass for a summary's start.
    const { cache } = lengthCache(10, 1_000);
    const base = makeItem();
    const items = [
      { ...base, contentHtml: '<p>\ud800</p>' },
      { ...base, contentHtml: '<p>\ufffd</p>' },
      { ...base, contentHtml: 'ab', summary: 'c' },
      { ...base, contentHtml: 'a', summary: 'bc' },
    ];

    // Act
    const keys = items.map((item) => cache.keyOf(item));

    // Assess
    expect(new Set(keys).size).toBe(items.length);
  });

  it('keys a record whose body is not text, as storage may hold', () => {
    // Prepare
    const { cache } = lengthCache(10, 1_000);
    const forged = { ...makeItem(), contentHtml: 42 } as unknown as Item;

    // Act / Assess
    expect(cache.keyOf(forged)).toMatch(/^[\w-]{43}$/);
  });
});

describe('RenderCache.keyed', () => {
  it('keys an item by the key it is given, once, instead of its hash', () => {
    // Prepare
    const { cache } = lengthCache(10, 1_000);
    const item = makeItem({ title: 'Derived' });

    // Act
    const kept = cache.keyed(item, 'safe:abc');
    cache.keyed(item, 'safe:other');

    // Assess
    expect(kept).toBe(item);
    expect(cache.keyOf(item)).toBe('safe:abc');
    expect(cache.keyOf({ ...item })).not.toBe('safe:abc');
  });

  it('knows which item objects it has keyed', () => {
    // Prepare
    const { cache } = lengthCache(10, 1_000);
    const hashed = makeItem();
    const given = makeItem();
    cache.keyOf(hashed);
    cache.keyed(given, 'safe:x');

    // Act / Assess
    expect([cache.seen(hashed), cache.seen(given), cache.seen({ ...hashed })]).toEqual([true, true, false]);
  });
});

describe('WrittenFiles', () => {
  it('keeps the bytes of the newest files within its budget and the ETags of all', () => {
    // Prepare
    const written = new WrittenFiles(10);

    // Act
    written.set('old', 'e1', Buffer.alloc(6));
    written.set('new', 'e2', Buffer.alloc(6));
    written.set('huge', 'e3', Buffer.alloc(11));

    // Assess
    expect(written.get('old')).toEqual({ etag: 'e1' });
    expect(written.get('new')).toEqual({ etag: 'e2', bytes: Buffer.alloc(6) });
    expect(written.get('huge')).toEqual({ etag: 'e3' });
  });

  it('frees the bytes of a file written again', () => {
    // Prepare
    const written = new WrittenFiles(10);
    written.set('a', 'e1', Buffer.alloc(6));

    // Act: the same file twice more must not count twice against the budget.
    written.set('a', 'e2', Buffer.alloc(6));
    written.set('b', 'e3', Buffer.alloc(4));

    // Assess
    expect(written.get('a')).toEqual({ etag: 'e2', bytes: Buffer.alloc(6) });
    expect(written.get('b')).toEqual({ etag: 'e3', bytes: Buffer.alloc(4) });
  });
});
