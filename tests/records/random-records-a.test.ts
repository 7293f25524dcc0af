import { describe, it } from 'vitest';
import { recordSchedules } from '../support/schedules.js';

// A quarter of the 10,000 record schedules (see recordSchedules).
const SCHEDULES = Number(process.env.SEEDFEED_SCHEDULES ?? 2_500);

describe('random schedules of the record phase (a)', () => {
  it(
    `${SCHEDULES} schedules of 3–5 instances × 3–5 versions of two seeds settle right`,
    recordSchedules('a', SCHEDULES),
  );
});
