import { createHash } from 'node:crypto';
import {
  type Bucket,
  ConditionFailedError,
  type ListedObject,
  type ObjectHeaders,
  type ObjectVersion,
  type StoredObject,
} from '../lambdas/seedfeed/storage/port.js';

/**
 * The storage port in memory for a million objects, with S3's semantics as the publisher uses them
 * (strong read-after-write, LIST in key order from StartAfter, MD5 ETags, conditional PUTs, one-second
 * Last-Modified, a sequencer per change of a key) and every call counted by its S3 request class. The
 * tests' MemoryStore sorts every key on each LIST, which is right for a few hundred objects; here keys
 * sit in sorted chunks, so a call costs about the same at ten objects as at a million and the handler's
 * CPU is what the simulation measures. Keys are compared as strings: the simulation's keys are ASCII,
 * where that order is S3's byte order.
 */
export class ScaleStore {
  private readonly buckets = new Map<string, ScaleObjects>();
  readonly counts = new Map<string, number>();

  /** The next answer's delay, in ms (a seeded PRNG: the same delays every run). */
  private delay: () => number = () => 0;
  /** Answers waiting for their time, soonest first (ties in the order asked). */
  private readonly waiting: { due: number; resolve: () => void }[] = [];
  /**
   * The simulation's own time (ms): the time the process spends running passes in it (its own work,
   * garbage collection, and whatever else the machine takes from it); waiting for an answer does not.
   */
  private virtualMs = 0;
  private realMark = performance.now();
  private pumping = false;

  /** `now`: the store's clock, the Last-Modified of everything written (ms). */
  constructor(readonly now: number) {}

  /**
   * Answers after a random delay between `minMs` and `maxMs`, so that concurrent instances interleave
   * as they would over a network instead of in lockstep. The delays pass in virtual time: when every
   * instance waits, the soonest answer comes at once. The order of events is what real timers give
   * (running time counts), without the idle wall time between them.
   */
  withLatency(minMs: number, maxMs: number, seed = 1): this {
    let state = seed >>> 0 || 1;
    this.delay = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return minMs + (((state >>> 0) % 1_000) / 1_000) * (maxMs - minMs);
    };
    return this;
  }

  answer(): Promise<void> {
    const ms = this.delay();
    if (ms <= 0) return Promise.resolve();
    const due = this.clock() + ms;
    return new Promise((resolve) => {
      const entry = { due, resolve };
      // After every answer due no later: ties come in the order asked.
      const at = this.waiting.findIndex((w) => w.due > due);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, entry);
      this.pump();
    });
  }

  /** Virtual time now: where the last answer left it, plus the running time since. */
  private clock(): number {
    const real = performance.now();
    this.virtualMs += real - this.realMark;
    this.realMark = real;
    return this.virtualMs;
  }

  // One answer per turn of the event loop: setImmediate runs once every instance has run on to its
  // next call (its microtasks are done), so the soonest answer is the next thing that would happen.
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      const next = this.waiting.shift();
      if (!next) return;
      this.virtualMs = Math.max(this.clock(), next.due);
      next.resolve();
      if (this.waiting.length > 0) this.pump();
    });
  }

  bucket(name: string, counted = true): Bucket {
    let objects = this.buckets.get(name);
    if (!objects) {
      objects = new ScaleObjects();
      this.buckets.set(name, objects);
    }
    return new ScaleBucket(name, objects, this, counted);
  }

  count(type: string): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
  }

  /** The counts since the last call, by request class. */
  take(): Record<string, number> {
    const taken = Object.fromEntries([...this.counts].sort());
    this.counts.clear();
    return taken;
  }

  sequencer(bucket: string, key: string): string {
    return (this.buckets.get(bucket)?.sequencers.get(key) ?? 0).toString(16).toUpperCase();
  }
}

interface Stored {
  body: Uint8Array;
  etag: string;
  lastModified: Date;
}

const CHUNK = 512;

/** Objects by key, and the keys in order as chunks of at most CHUNK: insert and seek in O(log n + CHUNK). */
class ScaleObjects {
  readonly objects = new Map<string, Stored>();
  readonly sequencers = new Map<string, number>();
  private readonly chunks: string[][] = [[]];

  add(key: string): void {
    const at = this.chunkFor(key);
    const chunk = this.chunks[at] as string[];
    chunk.splice(bound(chunk, key, true), 0, key);
    if (chunk.length > CHUNK) this.chunks.splice(at + 1, 0, chunk.splice(CHUNK / 2));
  }

  remove(key: string): void {
    const chunk = this.chunks[this.chunkFor(key)] as string[];
    const i = bound(chunk, key, true);
    if (chunk[i] === key) chunk.splice(i, 1);
  }

  /** Keys after `after` that start with `prefix`, in order. */
  *after(after: string, prefix: string): Generator<string> {
    const first = this.chunkFor(after);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as string[];
      for (let i = c === first ? bound(chunk, after, false) : 0; i < chunk.length; i++) {
        const key = chunk[i] as string;
        if (!key.startsWith(prefix)) {
          if (key > prefix) return;
          continue;
        }
        yield key;
      }
    }
  }

  /** The chunk whose range holds `key`: the last one whose first key is not after it. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const first = (this.chunks[mid] as string[])[0];
      if (first !== undefined && first <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** The first position whose key is after `key` (or, with `orEqual`, not before it). */
function bound(keys: readonly string[], key: string, orEqual: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const at = keys[mid] as string;
    if (at < key || (!orEqual && at === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class ScaleBucket implements Bucket {
  constructor(
    readonly name: string,
    private readonly store: ScaleObjects,
    private readonly world: ScaleStore,
    private readonly counted: boolean,
  ) {}

  private counting(type: string): Promise<void> | undefined {
    if (!this.counted) return undefined;
    this.world.count(type);
    return this.world.answer();
  }

  async get(key: string): Promise<StoredObject | undefined> {
    await this.counting('GET');
    const found = this.store.objects.get(key);
    return found && { body: found.body, etag: found.etag, lastModified: found.lastModified };
  }

  async head(key: string): Promise<ObjectVersion | undefined> {
    await this.counting('HEAD');
    const found = this.store.objects.get(key);
    return found && { etag: found.etag, lastModified: found.lastModified };
  }

  async put(key: string, body: Uint8Array | string, headers: ObjectHeaders = {}): Promise<string> {
    await this.counting('PUT');
    const current = this.store.objects.get(key);
    if (headers.ifNoneMatch === '*' && current) throw new ConditionFailedError(`${key} exists`);
    if (headers.ifMatch !== undefined && current?.etag !== headers.ifMatch) {
      throw new ConditionFailedError(`${key} is not at ${headers.ifMatch}`);
    }
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const etag = createHash('md5').update(bytes).digest('hex');
    if (!current) this.store.add(key);
    this.store.objects.set(key, {
      body: bytes,
      etag,
      lastModified: new Date(Math.floor(this.world.now / 1000) * 1000),
    });
    this.store.sequencers.set(key, (this.store.sequencers.get(key) ?? 0) + 1);
    return etag;
  }

  async delete(key: string): Promise<void> {
    await this.counting('DELETE');
    if (this.store.objects.delete(key)) this.store.remove(key);
    this.store.sequencers.set(key, (this.store.sequencers.get(key) ?? 0) + 1);
  }

  /** One LIST per page of 1,000, as S3 answers. */
  async list(prefix: string, limit: number, startAfter = ''): Promise<ListedObject[]> {
    await this.world.answer();
    const out: ListedObject[] = [];
    const from = startAfter > prefix ? startAfter : prefix.slice(0, -1);
    for (const key of this.store.after(from, prefix)) {
      if (out.length >= limit) break;
      out.push({ key, etag: this.store.objects.get(key)?.etag ?? '' });
    }
    const pages = Math.max(1, Math.ceil(out.length / 1_000));
    if (this.counted) for (let page = 0; page < pages; page++) this.world.count('LIST');
    return out;
  }

  async listFolders(prefix: string): Promise<string[]> {
    await this.counting('LIST');
    const folders: string[] = [];
    let from = prefix.slice(0, -1);
    for (;;) {
      const next = this.store.after(from, prefix).next();
      if (next.done) return folders;
      const cut = next.value.indexOf('/', prefix.length);
      if (cut < 0) {
        from = next.value;
        continue;
      }
      const folder = next.value.slice(prefix.length, cut);
      folders.push(folder);
      // Past every key of this folder: '/' + 1 is '0'.
      from = `${prefix}${folder}0`;
    }
  }
}
