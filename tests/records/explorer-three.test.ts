import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import { publishing, type Upload } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

const LINK = 'https://news.example.com/world/correction';
// As in explorer.test.ts: versions within one second, told apart by nothing but their version.
const version = (n: number) =>
  makeSeed({ title: `Version ${n}`, url: LINK, stamp: 1_706_696_101_000, body: '<p>Text.</p>' });
const story = (n: number): Upload => ({ seed: 'story.txt', put: version(n), afterMs: 10 });

describe('every interleaving of the record phase, three instances', () => {
  it('3 instances × 2 versions, the newer delivered twice: the newer version is what stays recorded', {
    timeout: 300_000,
  }, async () => {
    // Prepare: A gets the first version's event; B and C both get the second's (SQS delivers at least
    // once, so two instances may run the same event at the same time).
    const scenario = publishing({
      uploads: [story(1), story(2)],
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
