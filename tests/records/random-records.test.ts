import { describe, expect, it } from 'vitest';
import { runSchedules } from '../support/schedules.js';

// Half of the 10,000 record schedules; random-records-2 runs the other half in a second worker.
const SCHEDULES = Number(process.env.SEEDFEED_SCHEDULES ?? 5_000);

describe('random schedules of the record phase', () => {
  it(`${SCHEDULES} schedules of 3–5 instances × 3–5 versions of two seeds settle right`, async () => {
    // Act: each run checks its end state and throws on the first wrong one; the printed seed replays it.
    const steps = await runSchedules({
      name: 'random-records',
      schedules: SCHEDULES,
      instances: [3, 5],
      versions: [3, 5],
      recordsOnly: true,
    });

    // Assess
    console.log('random record schedules:', { schedules: SCHEDULES, steps });
    expect(steps).toBeGreaterThan(SCHEDULES * 10);
  });
});
