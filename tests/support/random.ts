/**
 * A small seeded PRNG (mulberry32) so that a failing randomized test can be replayed exactly:
 * every test prints its seed, and SEEDFEED_TEST_SEED=<seed> runs the same interleaving again.
 */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Removes and returns a random element. */
  take<T>(items: T[]): T;
}

export function randomFor(test: string): Random {
  const fromEnv = Number(process.env.SEEDFEED_TEST_SEED);
  const seed = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 1 + Math.floor(Math.random() * 2 ** 31);
  console.log(`${test}: replay with SEEDFEED_TEST_SEED=${seed}`);
  return seeded(seed);
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    seed,
    next,
    int,
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[int(items.length)] as T;
    },
    take<T>(items: T[]): T {
      if (items.length === 0) throw new RangeError('cannot take from an empty list');
      const at = int(items.length);
      const [item] = items.splice(at, 1);
      return item as T;
    },
  };
}
