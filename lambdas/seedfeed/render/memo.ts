/**
 * A bounded memo of rendered item fragments. Rendering is pure, so a fragment can be reused whenever
 * the item and the settings that shape it are the same; a warm Lambda then renders only new items.
 */
export class Memo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string, make: () => V): V {
    const hit = this.values.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order; re-inserting marks the entry as recently used.
      this.values.delete(key);
      this.values.set(key, hit);
      return hit;
    }
    const value = make();
    this.values.set(key, value);
    if (this.values.size > this.capacity) {
      const oldest = this.values.keys().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
    return value;
  }
}
