import { describe, expect, it } from 'vitest';
import { WrittenFiles } from '../../lambdas/seedfeed/publish/regenerate.js';
import { Memo } from '../../lambdas/seedfeed/render/memo.js';

/** A memo of strings weighed by their length, with a counter of how often a value was made. */
function lengthMemo(entries: number, bytes: number) {
  const memo = new Memo<string>({ entries, bytes }, (value) => value.length);
  let made = 0;
  const get = (key: string, value = key) =>
    memo.get(key, () => {
      made++;
      return value;
    });
  return { get, made: () => made };
}

describe('Memo', () => {
  it('makes a value once and returns it while it is kept', () => {
    // Prepare
    const memo = lengthMemo(10, 1_000);

    // Act
    const values = [memo.get('a'), memo.get('a'), memo.get('b'), memo.get('a')];

    // Assess
    expect(values).toEqual(['a', 'a', 'b', 'a']);
    expect(memo.made()).toBe(2);
  });

  it('drops the least recently used values past either bound', () => {
    // Prepare: room for three entries or 10 bytes.
    const memo = lengthMemo(3, 10);
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
    const memo = lengthMemo(10, 5);

    // Act
    memo.get('big', 'x'.repeat(6));
    memo.get('big', 'x'.repeat(6));

    // Assess
    expect(memo.made()).toBe(2);
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
