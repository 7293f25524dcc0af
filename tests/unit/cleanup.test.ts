import { describe, expect, it } from 'vitest';
import { planCleanup, readMarkerName, supersedes } from '../../lambdas/seedfeed/publish/cleanup.js';
import { entryName, type Marker, markerName, versionOf } from '../../lambdas/seedfeed/publish/keys.js';

const v = (hex: string) => versionOf(hex) as string;
const RUN = 'run00001';
const entry = (version: string, name = 'a'): Marker => ({
  version: v(version),
  run: RUN,
  kind: 'entry',
  entry: entryName(new Date(0), `https://x.example/${name}`, new Date(0), 'seeds/k', v(version), RUN).name,
});
const rejected = (version: string, run = RUN): Marker => ({ version: v(version), run, kind: 'rejected' });
const deleted = (version: string): Marker => ({ version: v(version), run: RUN, kind: 'deleted' });

describe('supersedes', () => {
  it('lets a newer entry or tombstone replace anything older', () => {
    for (const newer of [entry('2'), deleted('2')]) {
      for (const older of [entry('1'), deleted('1'), rejected('1')])
        expect(supersedes(newer, older)).toBe(true);
    }
  });

  it('never lets a rejection replace a good version or a tombstone, only an older rejection', () => {
    expect(supersedes(rejected('9'), entry('1'))).toBe(false);
    expect(supersedes(rejected('9'), deleted('1'))).toBe(false);
    expect(supersedes(rejected('9'), rejected('1'))).toBe(true);
    expect(supersedes(rejected('1'), rejected('9'))).toBe(false);
  });

  it('compares sequencers as S3 orders them, not as text of different lengths', () => {
    expect(supersedes(entry('100'), entry('FF'))).toBe(true);
    expect(supersedes(entry('ff'), entry('100'))).toBe(false);
  });

  it('ranks markers of one version so that exactly one survives', () => {
    const same = [entry('5', 'a'), entry('5', 'b'), deleted('5')];
    const rejections = [rejected('5', 'run00001'), rejected('5', 'run00002')];
    expect(rejections.filter((m) => planCleanup(rejections, m).newer.length === 0)).toHaveLength(1);
    const survivors = same.filter((m) => planCleanup(same, m).newer.length === 0);
    expect(survivors).toHaveLength(1);
    expect(survivors[0]?.kind).toBe('entry');
  });
});

describe('planCleanup', () => {
  it('removes what our marker supersedes and names what supersedes ours', () => {
    // Prepare: an old entry, a tombstone after it, a re-upload that was rejected, and a newer entry.
    const listed = [entry('1'), deleted('2'), rejected('3'), entry('4')];

    // Act
    const plan = planCleanup(listed, listed[1] as Marker);

    // Assess: the tombstone removes the entry before it, and gives way to the newer entry only.
    expect(plan.older).toEqual([listed[0]]);
    expect(plan.newer).toEqual([listed[3]]);
  });

  it('never lets a rejection plan to remove a good version', () => {
    const listed = [entry('1'), rejected('2'), rejected('3')];
    const plan = planCleanup(listed, listed[2] as Marker);
    expect(plan.older.map(markerName)).toEqual([markerName(rejected('2'))]);
    expect(plan.newer).toEqual([]);
  });
});

describe('marker names', () => {
  it('read back what they were written from, and the previous scheme as the oldest version', () => {
    for (const marker of [entry('1A'), rejected('2'), deleted('3')]) {
      expect(readMarkerName(markerName(marker))).toEqual(marker);
    }
    const legacy = readMarkerName('deleted0e0c2b0a-7f3e-4a55-9d0e-1c2b3a4d5e6f');
    expect(legacy?.kind).toBe('deleted');
    expect(supersedes(deleted('1'), legacy as Marker)).toBe(true);
    expect(readMarkerName('not a marker')).toBeUndefined();
  });
});

describe('planCleanup of markers that supersede each other but not ours', () => {
  it('names a marker superseded by another that also supersedes ours, to go once that one is in place', () => {
    // Prepare: three runs of one event; ours ranks lowest (a retry of a run that failed after its marker).
    const [low, middle, high] = ['run00001', 'run00002', 'run00003'].map(
      (run): Marker => ({ ...entry('5'), run }),
    ) as [Marker, Marker, Marker];

    // Act
    const plan = planCleanup([high, low, middle], low);

    // Assess
    expect(plan.older).toEqual([]);
    expect(plan.newer).toEqual([high, middle]);
    expect(plan.stale).toEqual([{ marker: middle, by: [high] }]);
  });

  it('names none when every other marker is older than ours', () => {
    expect(planCleanup([entry('1'), entry('2'), entry('3')], entry('3')).stale).toEqual([]);
  });
});
