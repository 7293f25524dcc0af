import { describe, expect, it } from 'vitest';
import { runSchedules } from '../support/schedules.js';

// The other half of the 10,000 record schedules (see random-records), on pages of two keys, so that
// long listings see writes between their pages.
const SCHEDULES = Number(process.env.SEEDFEED_SCHEDULES ?? 5_000);

describe('random schedules of the record phase, paged', () => {
  it(`${SCHEDULES} schedules of 3–5 instances × 3–5 versions of two seeds settle right`, async () => {
    // Act: each run checks its end state and throws on the first wrong one; the printed seed replays it.
    const steps = await runSchedules({
      name: 'random-records-2',
      schedules: SCHEDULES,
      instances: [3, 5],
      versions: [3, 5],
      recordsOnly: true,
      pageSize: 2,
    });

    // Assess
    console.log('random paged record schedules:', { schedules: SCHEDULES, steps });
    expect(steps).toBeGreaterThan(SCHEDULES * 10);
  });
});
