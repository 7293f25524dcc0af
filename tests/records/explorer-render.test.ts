import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import {
  neverBack,
  publishing,
  renderChoice,
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

    // Act: every order, up to reordering of independent calls, of the uploader's changes, of every call
    // on state/index/ (the record phase's entries, the render's listings and reads) and on feed.json.
    // The instances' other calls (the seed's GET, the markers, the warm start, the other public files)
    // run as soon as they are made, inside the choice they follow (its footprint, which the sleep sets
    // compare). Assumed, not explored (README, "How records stay right without locks"): the warm start
    // changes how many calls a render makes, not what it writes; the render sees the record phase only
    // through the index, so an instance's marker steps between two of its index calls may run without
    // the other's calls in between (the record-phase explorations order those); and the six public
    // files go through the same steps, meeting only in a conflict that re-renders all, so feed.json's
    // orders stand for each file's. Each run ends with the records and all six
    // files compared byte for byte with a from-scratch render; feed.json is watched after every write
    // (no still-published item vanishes, and the older version never comes back after the newer).
    const explored = await exploreAll(scenario, { dependent: watchDependent, scheduled: renderChoice });

    // Assess
    console.log('record and render, 2 instances × 2 versions + delete:', explored);
    expect(explored.runs).toBeGreaterThan(100);
  });
});
