/** Bounds of a memo: how many values, and how much memory they may hold in all. */
export interface MemoLimits {
  entries: number;
  bytes: number;
}

/**
 * Fragments of the items a warm function renders again and again: the newest K of each feed, and with
 * archives up to a month's worth. The byte bound keeps a long-lived function with large articles
 * inside its memory (512 MB by default), where a count alone would let 4,096 large items pile up.
 */
export const FRAGMENT_MEMO: MemoLimits = { entries: 4_096, bytes: 24 * 1_048_576 };

/**
 * A bounded memo of rendered item fragments. Rendering is pure, so a fragment can be reused whenever
 * the item and the settings that shape it are the same; a warm Lambda then renders only new items.
 * Least recently used values go first when either bound is passed; a value larger than the whole
 * byte bound is returned without being kept.
 */
export class Memo<V> {
  private readonly values = new Map<string, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    private readonly limits: MemoLimits,
    private readonly weigh: (value: V) => number = () => 0,
  ) {}

  get(key: string, make: () => V): V {
    const hit = this.values.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order; re-inserting marks the entry as recently used.
      this.values.delete(key);
      this.values.set(key, hit);
      return hit.value;
    }
    const value = make();
    // A weight that is not a number (an old record missing a field) would poison the running total.
    const weight = Math.max(0, this.weigh(value) || 0);
    if (weight > this.limits.bytes) return value;
    this.values.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.values) {
      if (this.values.size <= this.limits.entries && this.weight <= this.limits.bytes) break;
      this.values.delete(oldest);
      this.weight -= entry.weight;
    }
    return value;
  }
}
