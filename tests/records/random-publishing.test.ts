import { describe, expect, it } from 'vitest';
import { runSchedules } from '../support/schedules.js';

// Through the whole handler: every run ends with the public files compared byte for byte with a
// render from scratch, and a watch on feed.json that no still-published item ever vanished.
const SCHEDULES = Number(process.env.SEEDFEED_SCHEDULES ?? 250);

describe('random schedules of record and render', () => {
  it(`${SCHEDULES} schedules of 2–4 instances × 2–4 versions of two seeds publish right`, async () => {
    // Act: each run checks its end state and throws on the first wrong one; the printed seed replays it.
    const steps = await runSchedules({
      name: 'random-publishing',
      schedules: SCHEDULES,
      instances: [2, 4],
      versions: [2, 4],
    });

    // Assess
    console.log('random publishing schedules:', { schedules: SCHEDULES, steps });
    expect(steps).toBeGreaterThan(SCHEDULES * 10);
  });
});
