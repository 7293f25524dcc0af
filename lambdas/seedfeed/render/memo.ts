import { createHash } from 'node:crypto';
import { BoundedMap, type Limits } from '../bounded-map.js';
import type { Item } from '../core/item.js';
import { cdataProblem, fragmentProblem, fragmentsProblem } from './check.js';

/**
 * What a warm function may keep of its renders, all formats together: the newest K of each feed, and
 * with archives up to a month's worth. One byte bound for everything keeps a long-lived function with
 * large articles inside its memory, where a count alone (or one bound per format) let them pile up.
 */
export const RENDER_MEMO: Limits = { entries: 16_384, bytes: 24 * 1_048_576 };

/**
 * Whole renders (render/feeds.ts renderFeeds), bounded apart from the items' values so that a few large
 * files never push out the fragments a warm render lives on.
 */
export const WHOLE_RENDERS: Limits = { entries: 32, bytes: 4 * 1_048_576 };

interface Held {
  value: unknown;
  weight: number;
}

/**
 * The render's memory, owned by the caller (the handler's PublishCache) and passed in, so that a render
 * stays a function of its arguments. Rendering is pure, so a value is reused whenever the item and the
 * settings that shape it are the same; a warm Lambda then renders only new items. Least recently used
 * values go first when a bound is passed; a value larger than the whole byte bound is not kept.
 */
export class RenderCache {
  private readonly values: BoundedMap<Held>;
  // Items are immutable values handed over again and again (the handler's cache of index entries):
  // hashing each once, not once per render, saves a tenth of a render.
  private readonly keys = new WeakMap<Item, string>();

  private readonly wholes: BoundedMap<Held>;

  constructor(limits: Limits = RENDER_MEMO) {
    this.values = new BoundedMap(limits, (held) => held.weight);
    this.wholes = new BoundedMap(WHOLE_RENDERS, (held) => held.weight);
  }

  /** As `get`, for a whole render (see WHOLE_RENDERS). */
  whole<V>(key: string, make: () => V, weigh: (value: V) => number): V {
    return remembered(this.wholes, key, make, weigh);
  }

  /** The one hash of an item that every memoized value of it is keyed by. */
  keyOf(item: Item): string {
    let key = this.keys.get(item);
    if (key === undefined) {
      key = itemHash(item);
      this.keys.set(item, key);
    }
    return key;
  }

  /**
   * The strict XML check every fragment passes before it is kept or published (render/check.ts). It
   * lives here because the memo's promise is that whatever it holds was checked; the bench alone
   * overrides it, to measure what checking costs, and publishes nothing.
   */
  problem(fragment: string, defaultNamespace?: string): string | undefined {
    return fragmentProblem(fragment, defaultNamespace);
  }

  /** The same check of many fragments at once, in one parse (see check.ts fragmentsProblem). */
  fragmentsProblem(fragments: readonly string[], defaultNamespace?: string): string | undefined {
    return fragmentsProblem(fragments, defaultNamespace);
  }

  /** The same check for text put into a CDATA section of a checked fragment (see fragment.ts withBody). */
  cdataProblem(text: string): string | undefined {
    return cdataProblem(text);
  }

  /** Whether this cache has keyed `item` before: an item it has never seen cannot have been rendered. */
  seen(item: Item): boolean {
    return this.keys.has(item);
  }

  /**
   * `item`, keyed by `key` instead of its hash: for an item made from another by a pure function, the
   * other's key and the function's name say as much as its content does, and hashing it again costs
   * as much as the first hash (a tenth of a cold render). `key` must say which function, and must not
   * look like a hash.
   */
  keyed(item: Item, key: string): Item {
    if (!this.keys.has(item)) this.keys.set(item, key);
    return item;
  }

  /** Whether a value of `kind` is kept under `key`, without making it the most recently used. */
  has(kind: string, key: string): boolean {
    return this.values.get(`${kind}:${key}`) !== undefined;
  }

  /** Keeps a value made elsewhere (several at once: render/elements.ts), as `get` would have. */
  put<V>(kind: string, key: string, value: V, weight: number): void {
    this.values.set(`${kind}:${key}`, { value, weight });
  }

  /** `kind` names what is kept (a format, the page), so that values of different kinds never meet. */
  get<V>(kind: string, key: string, make: () => V, weigh: (value: V) => number): V {
    return remembered(this.values, `${kind}:${key}`, make, weigh);
  }
}

/** The value kept under `name`, made and kept first if there is none; a hit becomes the most recent. */
function remembered<V>(
  values: BoundedMap<Held>,
  name: string,
  make: () => V,
  weigh: (value: V) => number,
): V {
  const hit = values.get(name, { touch: true });
  if (hit !== undefined) return hit.value as V;
  const value = make();
  values.set(name, { value, weight: weigh(value) });
  return value;
}

/**
 * SHA-256 of everything an item holds: its fields but the body as JSON, then the body's UTF-16 code
 * units as they are. JSON-escaping the body and encoding it as UTF-8 cost five times the hash; the
 * JSON before it is complete in itself, so where it ends the body begins, and no two items hash alike.
 */
function itemHash(item: Item): string {
  const { contentHtml, ...rest } = item;
  const hash = createHash('sha256');
  // A record read back from storage may hold anything (publish/entry.ts): then all of it as JSON.
  if (typeof contentHtml !== 'string') return hash.update(JSON.stringify([item])).digest('base64url');
  hash.update(JSON.stringify([rest]));
  return hash.update(contentHtml, 'utf16le').digest('base64url');
}
