import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Embedded, startEmbedded } from '../../local/embedded.js';
import '../../local/s3rver-compat.js';
import { expectConverged } from '../support/converged.js';
import { type Faults, injectFaults } from '../support/faults.js';
import { randomFor } from '../support/random.js';
import { startReader } from '../support/reader.js';
import { makeSeed } from '../support/seeds.js';

// An outage, a storm, then calm. The outage fails every attempt, so the first requests fail for good
// after the SDK's four attempts whatever the timing: some seeds are reported for redelivery in every
// run. During the storm a request fails for good with 0.4⁴ ≈ 2.5% probability, more once the SDK's
// retry quota runs dry (each retry costs 5–10 tokens of 500, a success returns 1). A storm that never
// ends would drain the quota for good and send everything to the DLQ, which is the DLQ's job, not this
// test's.
const OUTAGE_ATTEMPTS = 40;
const STORM_ATTEMPTS = 250;
const faultRate = (attempt: number) => {
  if (attempt < OUTAGE_ATTEMPTS) return 1;
  return attempt < STORM_ATTEMPTS ? 0.4 : 0.03;
};
const SEEDS = 25;
const UPDATES = 8;

describe('publishing through S3 faults', () => {
  let directory: string;
  let embedded: Embedded;
  let faults: Faults;

  beforeEach(async () => {
    const random = randomFor('faults');
    directory = await mkdtemp(join(tmpdir(), 'seedfeed-faults-'));
    embedded = await startEmbedded({
      directory,
      port: 0,
      env: { SEEDFEED_ITEMS_PER_FEED: '25' },
      // Enough receives that every seed gets through in the end; the DLQ is for seeds that never can.
      queue: { batchSize: 10, batchWindowMs: 5, maxReceives: 12, retryDelayMs: 10 },
      configureHandlerClient: (client) => {
        faults = injectFaults(client, faultRate, random);
      },
    });
  });

  afterEach(async () => {
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('reports failed seeds for redelivery, converges, and never serves a broken feed', async () => {
    // Prepare
    const reader = startReader(embedded.config.publicUrl);
    const key = (n: number) => `${embedded.config.seedsPrefix}burst/${n}.txt`;
    // An update corrects the same article (same link), so no item may ever leave the feeds: a reader
    // seeing fewer items than before would have seen one lost.
    const put = (n: number, version: number) =>
      embedded.seeds.put(
        key(n),
        makeSeed({
          title: `Seed ${n} v${version}`,
          url: `https://news.example.com/burst/${n}`,
          stamp: 1_700_000_000_000 + n * 60_000 + version,
        }),
      );

    // Act: a burst of uploads, then updates of some of them while the first deliveries still fail.
    await Promise.all(Array.from({ length: SEEDS }, (_, n) => put(n, 1)));
    await Promise.all(Array.from({ length: UPDATES }, (_, n) => put(n * 3, 2)));
    await embedded.queue.idle();
    const read = await reader.stop();

    // Assess
    const failures = embedded.queue.results.flatMap((result) => result.batchItemFailures);
    console.log('faults:', Object.fromEntries(faults.injected), {
      passed: faults.passed,
      batches: embedded.queue.results.length,
      reportedFailures: failures.length,
      reads: read.reads,
    });
    expect(failures.length).toBeGreaterThan(0);
    expect(embedded.queue.deadLetters).toEqual([]);
    await expectConverged(embedded);
    expect(read.problems).toEqual([]);
    expect(read.shrank).toEqual([]);
    expect(read.reads).toBeGreaterThan(10);
  });
});
