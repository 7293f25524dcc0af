import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import { publishing, sameSecondVersion } from '../support/publishing.js';

describe('every interleaving of the record phase, three instances', () => {
  it('3 instances × 2 versions, the newer delivered twice: the newer version is what stays recorded', {
    timeout: 300_000,
  }, async () => {
    // Prepare: A gets the first version's event; B and C both get the second's (SQS delivers at least
    // once, so two instances may run the same event at the same time).
    const scenario = publishing({
      uploads: [sameSecondVersion(1), sameSecondVersion(2)],
      deliveries: [
        { instance: 'A', upload: 0 },
        { instance: 'B', upload: 1 },
        { instance: 'C', upload: 1 },
      ],
      recordsOnly: true,
    });

    // Act: every run checks its end state (publishing's check) and throws on the first wrong one.
    const explored = await exploreAll(scenario);

    // Assess
    console.log('records, 3 instances × 2 versions:', explored);
    expect(explored.runs).toBeGreaterThan(100);
  });
});
