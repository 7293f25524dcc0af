import { BoundedMap, type Limits } from '../bounded.js';

/**
 * Fragments of the items a warm function renders again and again: the newest K of each feed, and with
 * archives up to a month's worth. The byte bound keeps a long-lived function with large articles
 * inside its memory (512 MB by default), where a count alone would let 4,096 large items pile up.
 */
export const FRAGMENT_MEMO: Limits = { entries: 4_096, bytes: 24 * 1_048_576 };

/**
 * A bounded memo of rendered item fragments. Rendering is pure, so a fragment can be reused whenever
 * the item and the settings that shape it are the same; a warm Lambda then renders only new items.
 * Least recently used values go first when either bound is passed; a value larger than the whole
 * byte bound is returned without being kept.
 */
export class Memo<V> {
  private readonly values: BoundedMap<V>;

  constructor(limits: Limits, weigh: (value: V) => number = () => 0) {
    this.values = new BoundedMap(limits, weigh);
  }

  get(key: string, make: () => V): V {
    const hit = this.values.get(key, { touch: true });
    if (hit !== undefined) return hit;
    const value = make();
    this.values.set(key, value);
    return value;
  }
}
