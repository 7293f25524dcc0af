import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import { publishing, sameSecondVersion, type Upload } from '../support/publishing.js';

describe('every interleaving of the record phase', () => {
  it('2 instances × 2 versions in one second, then a delete: nothing stale survives', async () => {
    // Prepare: A gets the first version's event, B the second's, A the deletion's.
    const uploads: Upload[] = [
      sameSecondVersion(1),
      sameSecondVersion(2),
      { seed: 'story.txt', remove: true, afterMs: 10 },
    ];
    const scenario = publishing({
      uploads,
      deliveries: [
        { instance: 'A', upload: 0 },
        { instance: 'B', upload: 1 },
        { instance: 'A', upload: 2 },
      ],
      recordsOnly: true,
    });

    // Act: every run checks its end state (publishing's check) and throws on the first wrong one.
    const explored = await exploreAll(scenario);

    // Assess
    console.log('records, 2 instances × 2 versions + delete:', explored);
    expect(explored.runs).toBeGreaterThan(10);
  });

  it('2 instances × 2 versions in one second: the newer version is what stays recorded', async () => {
    // Prepare: the lost update of issue 11 — A may read version 1, B records version 2, then A goes on.
    const scenario = publishing({
      uploads: [sameSecondVersion(1), sameSecondVersion(2)],
      deliveries: [
        { instance: 'A', upload: 0 },
        { instance: 'B', upload: 1 },
      ],
      recordsOnly: true,
    });

    // Act
    const explored = await exploreAll(scenario);

    // Assess
    console.log('records, 2 instances × 2 versions:', explored);
    expect(explored.runs).toBeGreaterThan(5);
  });
});
