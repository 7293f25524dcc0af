/** Bounds of an in-memory cache: how many values, and how many bytes they may hold in all. */
export interface Limits {
  entries: number;
  bytes: number;
}

/**
 * What a warm function instance keeps between calls (rendered fragments, index entries, the bytes of
 * the files it wrote), within both bounds: past either, the oldest values go first (oldest set, or
 * oldest read with `touch`). A value heavier than the whole byte bound is not kept. Memory only ever
 * saves work, so a dropped value costs no more than computing or fetching it again.
 */
export class BoundedMap<V> {
  private readonly values = new Map<string, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    private readonly limits: Limits,
    private readonly weigh: (value: V) => number,
  ) {}

  get(key: string, { touch = false } = {}): V | undefined {
    const held = this.values.get(key);
    if (held && touch) {
      // Map keeps insertion order; re-inserting marks the value as recently used.
      this.values.delete(key);
      this.values.set(key, held);
    }
    return held?.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    // A weight that is not a number (an old record missing a field) would poison the running total.
    const weight = Math.max(0, this.weigh(value) || 0);
    if (weight > this.limits.bytes) return;
    this.values.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest] of this.values) {
      if (this.values.size <= this.limits.entries && this.weight <= this.limits.bytes) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const held = this.values.get(key);
    if (!held) return;
    this.values.delete(key);
    this.weight -= held.weight;
  }

  keys(): string[] {
    return [...this.values.keys()];
  }
}
