import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import {
  neverBack,
  onIndexOrFeed,
  publishing,
  sameSecondVersion,
  type Upload,
  watchDependent,
} from '../support/publishing.js';

describe('every interleaving of record and render', () => {
  it('2 instances × 2 versions in one second, then a delete, through the whole handler', {
    timeout: 300_000,
  }, async () => {
    // Prepare: as the record-phase exploration (explorer.test.ts), with the render after each batch.
    // A gets the first version's event, B the second's, A the deletion's, so A's second batch starts
    // warm: it remembers the ETags it wrote, which B may have replaced since.
    const uploads: Upload[] = [
      sameSecondVersion(1),
      sameSecondVersion(2),
      { seed: 'story.txt', remove: true, afterMs: 10 },
    ];
    const scenario = neverBack(
      publishing({
        uploads,
        deliveries: [
          { instance: 'A', upload: 0 },
          { instance: 'B', upload: 1 },
          { instance: 'A', upload: 2 },
        ],
      }),
      'Version 1',
      'Version 2',
    );

    // Act: every order of the calls on the index and on feed.json (and the uploader's), up to reordering
    // of independent ones; the instances' other calls run as soon as they are made (what that leaves
    // out: README, "How records stay right without locks"). Each run ends with the records and all six
    // public files compared with a from-scratch answer; feed.json is watched after every write.
    const explored = await exploreAll(scenario, { dependent: watchDependent, scheduled: onIndexOrFeed });

    // Assess
    console.log('record and render, 2 instances × 2 versions + delete:', explored);
    expect(explored.runs).toBeGreaterThan(100);
  });
});
