import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import { publishing, renderChoice, type Upload, watchDependent } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

/**
 * A remover whose index is back to what it last rendered, while another instance's feed is live: only
 * a HEAD shows the remover that its memory of feed.json is out of date. Every order must end with the
 * feeds right and no published item ever gone from them. (Written for a trust rule since withdrawn,
 * which took such memory as live when only the batch's own entries had changed; see
 * tests/records/late-renders.test.ts for why.)
 */
const ONE_ITEM = { SEEDFEED_ITEMS_PER_FEED: '1' };
const STAMP = 1_706_696_101_000;

function article(name: string, minutes: number): Upload {
  const put = makeSeed({ url: `https://news.example.com/world/${name}`, stamp: STAMP + minutes * 60_000 });
  return { seed: `${name}.txt`, put };
}

const removal = (name: string): Upload => ({ seed: `${name}.txt`, remove: true });

describe('every interleaving of a remover whose memory of the feeds is out of date', () => {
  it('a remover whose index is back to what it rendered last still writes over the feed', {
    timeout: 300_000,
  }, async () => {
    // Prepare: A renders [first]; B adds a newer one; A removes it, finding the index as it last
    // rendered it: only a HEAD shows that B's feed is live.
    const scenario = publishing({
      env: ONE_ITEM,
      uploads: [article('first', 0), article('newer', 1), removal('newer')],
      deliveries: [
        { instance: 'A', upload: 0 },
        { instance: 'B', upload: 1 },
        { instance: 'A', upload: 2 },
      ],
    });

    // Act
    const explored = await exploreAll(scenario, { dependent: watchDependent, scheduled: renderChoice });

    // Assess
    console.log('a remover with memory out of date:', explored);
    expect(explored.runs).toBeGreaterThan(20);
  });
});
