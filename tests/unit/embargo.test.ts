import { describe, expect, it } from 'vitest';
import { seedOptions } from '../../cli/settings.js';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { decodeEvent } from '../../lambdas/seedfeed/events.js';
import { isHidden, visibleSiteMap } from '../../lambdas/seedfeed/publish/embargo.js';
import { dueFrom, entryName, publishedOf, StateKeys } from '../../lambdas/seedfeed/publish/keys.js';
import { chooseNewest, feedSets } from '../../lambdas/seedfeed/publish/render-plan.js';
import { sweepMessage } from '../../local/events.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { makeSeed } from '../support/seeds.js';

const keys = new StateKeys('state/', 'rejected/');
const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const UPLOADED = new Date(Date.UTC(2026, 11, 1));

function indexKey(published: number, article: string): string {
  const { name } = entryName(
    new Date(published),
    `https://x.example/${article}`,
    UPLOADED,
    `seeds/${article}`,
    '0'.repeat(40),
    'run00001',
  );
  return keys.entry(name);
}

describe('dueFrom, the key a listing of due entries starts after', () => {
  it('sorts after every entry published after now and before every entry published by now', () => {
    // Prepare
    const at = NOW.getTime();
    const later = [at + 1, at + 60_000, at + 86_400_000 * 300].map((ms, n) => indexKey(ms, `later-${n}`));
    const due = [at, at - 1, 0].map((ms, n) => indexKey(ms, `due-${n}`));

    // Act
    const start = dueFrom(keys.index, NOW);

    // Assess
    for (const key of later) expect(key < start, key).toBe(true);
    for (const key of due) expect(key > start, key).toBe(true);
  });

  it('reads the publish time back from an entry name, and nothing from other names', () => {
    // Prepare
    const key = indexKey(NOW.getTime(), 'story');

    // Act / Assess
    expect(publishedOf(key.slice(keys.index.length))).toBe(NOW.getTime());
    expect(publishedOf('not-an-entry.json')).toBeUndefined();
  });
});

describe('the in-memory bucket with StartAfter, as S3 lists', () => {
  it('starts after the given string, which need not be a key, across pages', async () => {
    // Prepare: pages of 2, so the listing takes several calls.
    const bucket = new MemoryStore(undefined, 2).bucket('b', 'test');
    for (const key of ['p/a', 'p/b', 'p/c', 'p/d', 'p/e', 'q/a']) await bucket.put(key, '');

    // Act
    const fromB = await bucket.list('p/', 10, 'p/b');
    const between = await bucket.list('p/', 2, 'p/bb');
    const beforePrefix = await bucket.list('p/', 10, 'a');
    const pastAll = await bucket.list('p/', 10, 'p/z');

    // Assess
    expect(fromB.map((o) => o.key)).toEqual(['p/c', 'p/d', 'p/e']);
    expect(between.map((o) => o.key)).toEqual(['p/c', 'p/d']);
    expect(beforePrefix).toHaveLength(5);
    expect(pastAll).toEqual([]);
  });
});

describe('feedSets and chooseNewest at a render time', () => {
  it('start every listing at now and never choose an embargoed member', () => {
    // Prepare
    const map = { categories: [], authors: [], months: [] };
    const plan = {
      indexPrefix: keys.index,
      collectionPrefix: (c: string) => keys.collection(c),
      itemsPerFeed: 2,
      cacheControl: 'public',
      now: NOW,
    };
    const listed = [NOW.getTime() + 1_000, NOW.getTime(), NOW.getTime() - 1_000]
      .map((ms, n) => ({ key: indexKey(ms, `a${n}`), etag: `e${n}` }))
      .sort((a, b) => a.key.localeCompare(b.key));

    // Act
    const [main, category] = feedSets(['category/world'], map, plan);
    // As a store that ignored StartAfter would answer.
    const chosen = main && chooseNewest(listed, 10, main, (name) => keys.entry(name), true);

    // Assess
    expect(main?.startAfter).toBe(dueFrom(keys.index, NOW));
    expect(category?.startAfter).toBe(dueFrom('state/by/category/world/', NOW));
    expect(chosen?.chosen.map((o) => o.etag)).toEqual(['e1', 'e2']);
  });

  it('hide the months after now and the collections with no member due, so the map names none', () => {
    // Prepare
    const map = {
      categories: [
        { collection: 'category/world' as const, label: 'world' },
        { collection: 'category/secret' as const, label: 'secret' },
      ],
      authors: [],
      months: ['2026-11', '2026-12', '2027-01'],
    };
    const withheld = new Set(['category/secret' as const]);

    // Act
    const visible = visibleSiteMap(map, NOW, withheld);

    // Assess
    expect(visible.categories.map((c) => c.label)).toEqual(['world']);
    expect(visible.months).toEqual(['2026-11', '2026-12']);
    expect(isHidden('month/2027-01', NOW, new Set())).toBe(true);
    expect(isHidden('month/2026-12', NOW, new Set())).toBe(false);
  });
});

describe('the embargo horizon', () => {
  const parse = (stamp: number, horizonDays?: number) =>
    parseSeed(
      { file: 'seeds/x.txt', bytes: new TextEncoder().encode(makeSeed({ stamp })), uploadedAt: UPLOADED },
      { defaultLanguage: 'en', maxBytes: 1_048_576, ...(horizonDays ? { horizonDays } : {}) },
    );

  it('takes a date up to the horizon after the upload and rejects one a millisecond beyond, naming the file', () => {
    // Prepare
    const edge = UPLOADED.getTime() + 366 * 86_400_000;

    // Act
    const within = parse(edge, 366);
    let beyond: unknown;
    try {
      parse(edge + 1, 366);
    } catch (error) {
      beyond = error;
    }

    // Assess
    expect(within.published).toBe(new Date(edge).toISOString());
    expect(beyond).toBeInstanceOf(SeedError);
    expect((beyond as SeedError).message).toMatch(
      /^seeds\/x\.txt: publish date .* is more than 366 days after/,
    );
    expect(parse(Date.UTC(2199, 0, 1)).published).toBe('2199-01-01T00:00:00.000Z');
  });
});

describe('seedfeed validate', () => {
  it('parses with the horizon the function uses, from the same setting', () => {
    // Act
    const defaults = seedOptions({});
    const set = seedOptions({ SEEDFEED_EMBARGO_HORIZON_DAYS: '10' });

    // Assess
    expect(defaults.horizonDays).toBe(366);
    expect(set.horizonDays).toBe(10);
    expect(() => seedOptions({ SEEDFEED_EMBARGO_HORIZON_DAYS: '0' })).toThrow(
      /SEEDFEED_EMBARGO_HORIZON_DAYS/,
    );
  });
});

describe('decodeEvent on a scheduled sweep', () => {
  it('reads the time the schedule fired for, and S3 events beside it as before', () => {
    // Prepare
    const sweep = sweepMessage(NOW);
    const forged = { ...sweep, messageId: 'x', body: JSON.stringify({ source: 'aws.events' }) };

    // Act
    const decoded = decodeEvent({ Records: [sweep, forged] });

    // Assess
    expect(decoded.sweeps).toEqual([{ time: NOW, messageId: sweep.messageId }]);
    expect(decoded.events).toEqual([]);
    expect(decoded.unreadable.map((u) => u.messageId)).toEqual(['x']);
  });
});
