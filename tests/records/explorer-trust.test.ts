import { describe, expect, it } from 'vitest';
import { exploreAll } from '../support/explorer.js';
import { publishing, renderChoice, type Upload, watchDependent } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

/**
 * A warm instance takes its memory of feed.json as live, without a HEAD, when the index differs from
 * what it last rendered only by its own new entries (render-plan.ts `onlyOwnChanges`). A batch that
 * removed an entry never does: this run gives it the chance to be wrong, an index back to what the
 * instance rendered last while another instance's feed is live. The case where the trust is taken
 * (others added and removed meanwhile) is in tests/unit/warm-start.test.ts, run in one order: all its
 * orders took 25 s here, most of this suite's budget.
 */
const ONE_ITEM = { SEEDFEED_ITEMS_PER_FEED: '1' };
const STAMP = 1_706_696_101_000;

function article(name: string, minutes: number): Upload {
  const put = makeSeed({ url: `https://news.example.com/world/${name}`, stamp: STAMP + minutes * 60_000 });
  return { seed: `${name}.txt`, put };
}

const removal = (name: string): Upload => ({ seed: `${name}.txt`, remove: true });

describe('every interleaving where a warm instance may trust its memory of the feeds', () => {
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
    console.log('trust, a remover:', explored);
    expect(explored.runs).toBeGreaterThan(20);
  });
});
