import { describe, expect, it } from 'vitest';
import { cleanSeal } from '../../lambdas/seedfeed/core/clean.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { readEntry } from '../../lambdas/seedfeed/publish/entry.js';
import { renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { makeItem, makeSettings } from '../support/items.js';
import { REAL_SEED_FILE, realSeed } from '../support/seeds.js';

function realItem(): Item {
  return parseSeed(
    { file: REAL_SEED_FILE, bytes: realSeed(), uploadedAt: new Date('2024-02-01T00:00:00Z') },
    { defaultLanguage: 'en', maxBytes: 1_048_576 },
  );
}

function published(items: Item[]): Map<string, string> {
  return new Map(renderFeeds(items, makeSettings()).files.map((file) => [file.key, file.body]));
}

/** The item as a record older than the seal holds it. */
function unsealed(item: Item): Item {
  const { cleanSeal: _, ...rest } = item;
  return rest;
}

describe('the clean seal', () => {
  it('is what the parser sets on the HTML it cleaned', () => {
    // Act
    const item = realItem();

    // Assess
    expect(item.cleanSeal).toBe(cleanSeal(item.contentHtml));
  });

  it('changes no published byte: a sealed item renders as the same item cleaned again', () => {
    // Prepare
    const item = realItem();

    // Act
    const sealed = published([item]);
    const cleanedAgain = published([unsealed(item)]);

    // Assess
    expect(sealed.size).toBeGreaterThan(3);
    expect([...sealed]).toEqual([...cleanedAgain]);
  });

  it('no longer holds once the HTML is edited by hand, so the edit is cleaned again', () => {
    // Prepare
    const item = realItem();
    const edited = {
      ...item,
      contentHtml: `${item.contentHtml}<script>alert(1)</script><p onclick="steal()">Edited.</p>`,
    };

    // Act
    const files = published([edited]);

    // Assess
    for (const key of ['rss.xml', 'atom.xml', 'feed.json']) {
      const body = files.get(key) ?? '';
      expect(body, key).toContain('Edited.');
      expect(body, key).not.toContain('alert(1)');
      expect(body, key).not.toContain('steal()');
    }
  });

  it('is what saves the cleaning: a body it matches is published as it stands', () => {
    // Prepare: a class the cleaner would take out, under a seal that matches it.
    const contentHtml = '<p class="lead">Kept as sealed.</p>';
    const sealed = makeItem({ contentHtml, cleanSeal: cleanSeal(contentHtml) });
    const plain = makeItem({ contentHtml });

    // Act
    const files = published([sealed, plain]);

    // Assess: the sealed body keeps its class; the same body without a seal loses it.
    const json = JSON.parse(files.get('feed.json') ?? '{}') as { items: { content_html: string }[] };
    const bodies = json.items.map((item) => item.content_html).sort();
    expect(bodies).toEqual(['<p class="lead">Kept as sealed.</p>', '<p>Kept as sealed.</p>']);
  });

  it('must be a string in a record', () => {
    // Prepare
    const record = { seedKey: 'seeds/a.txt', uploaded: '2024-02-01T00:00:00.000Z', item: makeItem() };

    // Act
    const wrong = readEntry(JSON.stringify({ ...record, item: { ...record.item, cleanSeal: 7 } }));
    const right = readEntry(JSON.stringify({ ...record, item: { ...record.item, cleanSeal: 'x' } }));

    // Assess
    expect(wrong).toBe('its item cleanSeal is not a string');
    expect(typeof right).toBe('object');
  });
});
