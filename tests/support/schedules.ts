import { expect } from 'vitest';
import { runRandom } from './explorer.js';
import { type Delivery, type PublishingSpec, publishing, type Upload } from './publishing.js';
import { type Random, randomFor } from './random.js';
import { makeSeed } from './seeds.js';

export interface RandomSizes {
  instances: [number, number];
  versions: [number, number];
}

/**
 * A random history of two seeds: new versions (same link and time with a new title, a new time, a new
 * link, now and then a broken file), deletions and re-uploads, each event delivered to a random
 * instance, some twice, in a random order per instance, so that late and duplicate deliveries happen.
 */
export function randomHistory(
  random: Random,
  sizes: RandomSizes,
): Pick<PublishingSpec, 'uploads' | 'deliveries'> {
  const between = ([low, high]: [number, number]) => low + random.int(high - low + 1);
  const instances = Array.from({ length: between(sizes.instances) }, (_, n) => String.fromCharCode(65 + n));
  const uploads: Upload[] = [];
  for (const seed of ['one.txt', 'two.txt']) {
    let link = `https://news.example.com/${seed}`;
    let stamp = 1_706_696_101_000 + random.int(5) * 60_000;
    for (let version = 1, count = between(sizes.versions); version <= count; version++) {
      const afterMs = random.pick([5, 300, 1_200]);
      if (version > 1 && random.chance(0.2)) {
        uploads.push({ seed, remove: true, afterMs });
        continue;
      }
      if (random.chance(0.3)) stamp += 60_000;
      if (random.chance(0.15)) link = `${link}-moved`;
      const body = random.chance(0.1)
        ? 'not a seed'
        : makeSeed({ title: `${seed} v${version}`, url: link, stamp, body: '<p>Text.</p>' });
      uploads.push({ seed, put: body, afterMs });
    }
  }
  // The two seeds' histories interleave in time; each keeps its own order.
  const merged: Upload[] = [];
  const queues = [uploads.filter((u) => u.seed === 'one.txt'), uploads.filter((u) => u.seed === 'two.txt')];
  while (queues.some((q) => q.length > 0)) {
    const queue = random.pick(queues.filter((q) => q.length > 0));
    merged.push(queue.shift() as Upload);
  }
  const deliveries: Delivery[] = [];
  for (const [upload] of merged.entries()) {
    deliveries.push({ instance: random.pick(instances), upload });
    if (random.chance(0.2)) deliveries.push({ instance: random.pick(instances), upload });
  }
  // Shuffled: an instance handles its deliveries in this order, so some arrive after later ones.
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
  }
  return { uploads: merged, deliveries };
}

export interface ScheduleOptions extends RandomSizes {
  /** The test's name, printed with the seed that replays it. */
  name: string;
  schedules: number;
  recordsOnly?: boolean;
  pageSize?: number;
}

/** Random histories, each run in a random interleaving and checked at its end; returns the calls made. */
export async function runSchedules(options: ScheduleOptions): Promise<number> {
  const random = randomFor(options.name);
  let steps = 0;
  for (let n = 0; n < options.schedules; n++) {
    const history = randomHistory(random, options);
    const scenario = publishing({ ...history, ...(options.recordsOnly ? { recordsOnly: true } : {}) });
    steps += (await runRandom(scenario, random, options.pageSize)).steps;
  }
  return steps;
}

/**
 * A share of the 10,000 random record schedules, as one test. The schedules are split over several
 * files only so that vitest's workers (one per core) share them: a test file runs in one worker.
 */
export function recordSchedules(part: string, schedules: number, pageSize?: number): () => Promise<void> {
  return async () => {
    // Act: each run checks its end state and throws on the first wrong one; the printed seed replays it.
    const steps = await runSchedules({
      name: `random-records-${part}`,
      schedules,
      instances: [3, 5],
      versions: [3, 5],
      recordsOnly: true,
      ...(pageSize ? { pageSize } : {}),
    });

    // Assess
    console.log(`random record schedules (${part}):`, { schedules, pageSize: pageSize ?? 'default', steps });
    expect(steps).toBeGreaterThan(schedules * 10);
  };
}
