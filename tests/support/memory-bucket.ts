import { hash } from 'node:crypto';
import {
  type Bucket,
  ConditionFailedError,
  type ListedObject,
  type ObjectHeaders,
  type ObjectVersion,
  type StoredObject,
} from '../../lambdas/seedfeed/storage/port.js';

/** One storage call as the scheduler sees it: who makes it, what it touches, and whether it writes. */
export interface Call {
  /** Who makes the call: an instance's name, or the uploader's. */
  actor: string;
  bucket: string;
  op: 'get' | 'head' | 'put' | 'delete' | 'list' | 'listFolders';
  /** The key, or for a LIST the prefix. */
  target: string;
}

export function writes(call: Call): boolean {
  return call.op === 'put' || call.op === 'delete';
}

/**
 * Whether the order of two calls can matter: same bucket, at least one writes, and they touch the same
 * key (a LIST touches every key under its prefix). Calls that are not dependent commute, so an explorer
 * need try only one of their orders.
 */
export function dependent(a: Call, b: Call): boolean {
  if (a.bucket !== b.bucket || (!writes(a) && !writes(b))) return false;
  const touches = (list: Call, other: Call) =>
    (list.op === 'list' || list.op === 'listFolders') && other.target.startsWith(list.target);
  return a.target === b.target || touches(a, b) || touches(b, a);
}

/** Decides when each call happens; the default runs every call at once. */
export interface Hooks {
  /** Resolves when the call may go ahead (an explorer holds calls here to choose their order). */
  admit(call: Call): Promise<void>;
}

const IMMEDIATE: Hooks = { admit: () => Promise.resolve() };

interface Stored {
  body: Uint8Array;
  etag: string;
  lastModified: Date;
  contentType?: string;
}

/**
 * Buckets in memory with the S3 semantics the publisher relies on: strong read-after-write, LIST in
 * key order and in pages (each page its own call, as each is its own request), `Last-Modified` with
 * one-second resolution, MD5 ETags, conditional PUTs, and a sequencer per change of each key.
 */
export class MemoryStore {
  private readonly buckets = new Map<string, Map<string, Stored>>();
  private readonly sequencers = new Map<string, number>();
  /** Each actor's clock (ms): tests move the uploader's on to choose which versions share a second. */
  private readonly clocks = new Map<string, number>();
  static readonly EPOCH = 1_700_000_000_000;

  clock(actor: string): number {
    return this.clocks.get(actor) ?? MemoryStore.EPOCH;
  }

  setClock(actor: string, ms: number): void {
    this.clocks.set(actor, ms);
    this.contents = undefined;
  }

  constructor(
    private readonly hooks: Hooks = IMMEDIATE,
    readonly pageSize = 1000,
    /** Keep every answer for `signature()` (an explorer that matches states needs it). */
    private readonly tracking = false,
  ) {}

  bucket(name: string, actor: string): MemoryBucket {
    return new MemoryBucket(this, name, actor);
  }

  objects(bucket: string): Map<string, Stored> {
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    return objects;
  }

  /** As S3 stamps an event: hex, increasing with every change of the key. */
  sequencer(bucket: string, key: string): string {
    return (this.sequencers.get(`${bucket}/${key}`) ?? 0).toString(16).toUpperCase();
  }

  /** A PUT or DELETE took effect; `keysChanged` when it added or removed a key, not replaced an object. */
  changed(bucket: string, key: string, keysChanged = true): void {
    const id = `${bucket}/${key}`;
    this.sequencers.set(id, (this.sequencers.get(id) ?? 0) + 1);
    this.contents = undefined;
    if (keysChanged) this.sorted.delete(bucket);
  }

  /** Each actor's answers so far, sorted (see signature), and that list as text once asked for. */
  private readonly seen = new Map<string, { answers: string[]; text?: string | undefined }>();
  /** Each bucket's keys in S3's order, kept until one of them changes. */
  private readonly sorted = new Map<string, string[]>();

  keysInOrder(bucket: string): string[] {
    let keys = this.sorted.get(bucket);
    if (!keys) {
      keys = [...this.objects(bucket).keys()].sort(byBytes);
      this.sorted.set(bucket, keys);
    }
    return keys;
  }

  /** Actors that have finished: what they were told can no longer change anything. */
  private readonly retired = new Set<string>();
  /** A hash of the objects, sequencers and clocks, kept until one of them changes. */
  private contents: string | undefined;

  async call<T>(call: Call, perform: () => T): Promise<T> {
    await this.hooks.admit(call);
    let result: T;
    try {
      result = perform();
    } catch (error) {
      this.observed(call, () => (error instanceof Error ? error.name : 'error'));
      throw error;
    }
    this.observed(call, () => digest(result));
    return result;
  }

  /** What each actor has been told so far: with the store's contents, all that decides what happens next. */
  private observed(call: Call, answer: () => string): void {
    if (!this.tracking) return;
    const log = this.seen.get(call.actor) ?? { answers: [] };
    const line = `${call.op} ${call.bucket}/${call.target} ${answer()}`;
    let at = log.answers.length;
    while (at > 0 && (log.answers[at - 1] as string) > line) at--;
    log.answers.splice(at, 0, line);
    log.text = undefined;
    this.seen.set(call.actor, log);
  }

  /** The actor has made its last call: from now on only the store holds what it did. */
  retire(actor: string): void {
    this.seen.delete(actor);
    this.retired.add(actor);
  }

  /**
   * The whole state of a run as a string: every object, every sequencer and clock, every answer each
   * actor still running got, and which actors have finished. Actors are deterministic, so two runs
   * with the same signature go on alike.
   */
  signature(): string {
    // Hashed once per change of the contents, not at every choice: most choices change no object.
    this.contents ??= hash('sha1', this.contentsText(), 'hex');
    const parts = [this.contents, [...this.retired].sort().join(' ')];
    // As a set: the handler gathers concurrent calls with Promise.all, so the order in which their
    // answers arrived does not change what it does next.
    for (const [actor, log] of [...this.seen].sort(byName)) {
      log.text ??= log.answers.join('|');
      parts.push(`${actor}:${log.text}`);
    }
    return hash('sha1', parts.join('\n'), 'hex');
  }

  private contentsText(): string {
    const parts: string[] = [];
    for (const [bucket, objects] of [...this.buckets].sort(byName)) {
      for (const key of this.keysInOrder(bucket)) {
        const object = objects.get(key) as Stored;
        parts.push(`${bucket}/${key}=${object.etag}@${object.lastModified.getTime()}`);
      }
    }
    parts.push(
      JSON.stringify([...this.sequencers].sort(byName)),
      JSON.stringify([...this.clocks].sort(byName)),
    );
    return parts.join('\n');
  }
}

export class MemoryBucket implements Bucket {
  constructor(
    private readonly store: MemoryStore,
    readonly name: string,
    private readonly actor: string,
  ) {}

  private call<T>(op: Call['op'], target: string, perform: () => T): Promise<T> {
    return this.store.call({ actor: this.actor, bucket: this.name, op, target }, perform);
  }

  private get objects(): Map<string, Stored> {
    return this.store.objects(this.name);
  }

  get(key: string): Promise<StoredObject | undefined> {
    return this.call('get', key, () => {
      const found = this.objects.get(key);
      return found && { body: found.body.slice(), etag: found.etag, lastModified: found.lastModified };
    });
  }

  head(key: string): Promise<ObjectVersion | undefined> {
    return this.call('head', key, () => {
      const found = this.objects.get(key);
      return found && { etag: found.etag, lastModified: found.lastModified };
    });
  }

  put(key: string, body: Uint8Array | string, headers: ObjectHeaders = {}): Promise<string> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();
    return this.call('put', key, () => {
      const current = this.objects.get(key);
      if (headers.ifNoneMatch === '*' && current) throw new ConditionFailedError(`${key} exists`);
      if (headers.ifMatch !== undefined && current?.etag !== headers.ifMatch) {
        throw new ConditionFailedError(`${key} is not at ${headers.ifMatch}`);
      }
      const etag = hash('md5', bytes, 'hex');
      const lastModified = new Date(Math.floor(this.store.clock(this.actor) / 1000) * 1000);
      this.objects.set(key, {
        body: bytes,
        etag,
        lastModified,
        ...(headers.contentType ? { contentType: headers.contentType } : {}),
      });
      this.store.changed(this.name, key, current === undefined);
      return etag;
    });
  }

  delete(key: string): Promise<void> {
    return this.call('delete', key, () => {
      this.store.changed(this.name, key, this.objects.delete(key));
    });
  }

  /** Page by page, each page a call of its own: a long listing can see writes made between its pages. */
  async list(prefix: string, limit: number, startAfter = ''): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let after = startAfter;
    for (;;) {
      const want = Math.min(this.store.pageSize, limit - out.length);
      const page = await this.call('list', prefix, () =>
        this.sortedKeys(prefix, after)
          .slice(0, want + 1)
          .map((key) => ({ key, etag: this.objects.get(key)?.etag ?? '' })),
      );
      out.push(...page.slice(0, want));
      const last = page[want - 1];
      if (page.length <= want || out.length >= limit || !last) return out;
      after = last.key;
    }
  }

  listFolders(prefix: string): Promise<string[]> {
    return this.call('listFolders', prefix, () => {
      const folders = new Set<string>();
      for (const key of this.sortedKeys(prefix, '')) {
        const cut = key.indexOf('/', prefix.length);
        if (cut >= 0) folders.add(key.slice(prefix.length, cut));
      }
      return [...folders];
    });
  }

  private sortedKeys(prefix: string, after: string): string[] {
    return this.store.keysInOrder(this.name).filter((key) => key.startsWith(prefix) && key > after);
  }
}

function byName<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function digest(result: unknown): string {
  if (result === undefined) return '-';
  if (typeof result === 'string') return result;
  if (Array.isArray(result)) return (result as ListedObject[]).map((o) => `${o.key}:${o.etag}`).join(',');
  // A GET or HEAD: the ETag is the MD5 of the body, so it and the date say all the answer holds.
  const { etag, lastModified } = result as ObjectVersion;
  return `${etag}@${lastModified.getTime()}`;
}

/**
 * S3 orders keys by their UTF-8 bytes. Below U+D800 that is the order of UTF-16 code units, which
 * compares without encoding.
 */
function byBytes(a: string, b: string): number {
  if (!BEYOND_D800.test(a) && !BEYOND_D800.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const BEYOND_D800 = /[\uD800-\uFFFF]/;
