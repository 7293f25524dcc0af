import { cleanSeal, sanitizeHtml } from '../core/clean.js';
import { RenderError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { byCodeUnits, stripXmlIllegal } from '../core/text.js';
import { ATOM_ELEMENT, atomEntry, atomHead, renderAtom } from './atom.js';
import { itemProblem } from './check.js';
import { prepareElements } from './elements.js';
import { escapeMarkup } from './escape.js';
import { type Fragment, type Piece, piecesBytes, piecesText } from './fragment.js';
import { jsonItem, renderJsonFeed } from './json.js';
import { RenderCache } from './memo.js';
import { PAGE_FILE, renderPage } from './page.js';
import { RSS_ELEMENT, renderRss, rssHead, rssItem } from './rss.js';
import { EPOCH, FEED_FILES, type FeedSettings } from './settings.js';
import { siteFiles } from './site-files.js';
import { MAIN_VIEW, type View } from './view.js';

export interface RenderedFile {
  key: string;
  contentType: string;
  /** The file as text; built on first use, since publishing needs only `bytes`. */
  readonly body: string;
  /** The file in UTF-8, as it is uploaded. */
  readonly bytes: Buffer;
}

export interface RenderResult {
  files: RenderedFile[];
  /** Items in the files, newest first (fewer than given when the byte budget cut the oldest). */
  included: Item[];
  /** Items that could not be rendered; the feeds are published without them. */
  excluded: { item: Item; reason: string }[];
}

interface Rendered {
  item: Item;
  rss: Fragment;
  atom: Fragment;
  json: Fragment;
}

// Room for the feed-level elements around the items, which are far smaller than this.
const HEAD_ALLOWANCE = 4_096;

/**
 * Items → every public file. Pure: the same items and settings give the same bytes, whatever order
 * the items came in. An item that fails its checks is left out and reported, never published broken.
 * Items are values: `cache` keeps what was rendered of each item object, so an item must not be
 * changed after it was rendered (make a new one instead; nothing in seedfeed changes an item).
 */
export function renderFeeds(
  items: readonly Item[],
  unsafeSettings: FeedSettings,
  view: View = MAIN_VIEW,
  cache: RenderCache = new RenderCache(),
): RenderResult {
  // The same items, settings (the render's time too) and view give the same files: a render redone
  // after a conflict, over the listing the other instance rendered, or of a view whose items did not
  // change when another's did, costs a lookup. Items are keyed by their content hash.
  const id = `${JSON.stringify([unsafeSettings, view])}\n${items.map((item) => cache.keyOf(item)).join(' ')}`;
  return cache.whole(
    id,
    () => renderAll(items, unsafeSettings, view, cache),
    (result) => result.files.reduce((sum, file) => sum + file.bytes.length, 1_024),
  );
}

function renderAll(
  items: readonly Item[],
  unsafeSettings: FeedSettings,
  view: View,
  cache: RenderCache,
): RenderResult {
  const settings = xmlSafe(unsafeSettings);
  const { rss, atom, json, included, excluded, beyond, sorted } = documents(items, settings, view, cache);
  const file = (spec: { key: string; contentType: string }, pieces: readonly Piece[]): RenderedFile => {
    let body: string | undefined;
    return {
      key: `${view.path}${spec.key}`,
      contentType: spec.contentType,
      get body() {
        body ??= piecesText(pieces);
        return body;
      },
      bytes: piecesBytes(pieces),
    };
  };
  const files = [
    file(FEED_FILES.rss, rss),
    file(FEED_FILES.atom, atom),
    file(FEED_FILES.json, json),
    file(PAGE_FILE, [renderPage(included, settings, view, cache)]),
  ];
  // Only the sitemap lists them, and it reads neither body nor summary: left out before the XML
  // cleaning, they cost nothing to clean (at K = 500 the cleaning of whole items was a third of `feed`).
  const listed = beyond.map((item) => xmlSafe({ ...item, contentHtml: '', summary: '' }));
  for (const site of siteFiles([...included, ...listed], sorted, settings, view, cache)) {
    files.push(file(site.spec, [site.text]));
  }
  return { files, included, excluded };
}

/** The three feed documents of a view, as pieces, and which items they hold. */
export interface FeedDocuments {
  rss: Piece[];
  atom: Piece[];
  json: Piece[];
  included: Item[];
  excluded: RenderResult['excluded'];
  /**
   * Items the byte budget left out of the feeds, as given: the news sitemap, far smaller, may still
   * list them.
   */
  beyond: Item[];
  /** Every timely item, newest first, with distinct updates. */
  sorted: Item[];
}

/** The feeds alone, without the page and the site files: what the bench sets beside `feed`. */
export function renderFeedDocuments(
  items: readonly Item[],
  unsafeSettings: FeedSettings,
  view: View = MAIN_VIEW,
  cache: RenderCache = new RenderCache(),
): FeedDocuments {
  return documents(items, xmlSafe(unsafeSettings), view, cache);
}

function documents(
  items: readonly Item[],
  settings: FeedSettings,
  view: View,
  cache: RenderCache,
): FeedDocuments {
  // Nothing is dated after the render's time: an item published later is embargoed (the listing
  // leaves it out already; this guards every other way in), and a change stamped later (a clock ahead
  // of the render's) is dated at it.
  const now = settings.now === undefined ? Number.POSITIVE_INFINITY : Date.parse(settings.now);
  const timely = items.filter((item) => !(Date.parse(item.published) > now));
  const sorted = withDistinctUpdates(timely.sort(newestFirst), now);
  const excluded: RenderResult['excluded'] = [];
  const rendered: Rendered[] = [];
  const budget = settings.maxFeedBytes - HEAD_ALLOWANCE;
  let used = { rss: 0, atom: 0, json: 0 };
  let beyond: Item[] = [];
  let prepared = 0;
  for (const [position, item] of sorted.entries()) {
    if (position === prepared) {
      const size = nextBatch(rendered.length, Math.max(used.rss, used.atom, used.json), budget);
      prepare(sorted.slice(position, position + size), settings, cache);
      prepared = position + size;
    }
    let entry: Rendered;
    try {
      entry = renderItem(item, settings, cache);
      // An article larger than a whole feed keeps its place with its summary instead of its body,
      // wherever it is: left as it was, a huge one that is not the newest ended the feed, leaving out
      // every article older than it.
      if (largest(entry) > budget) entry = renderItem(shortened(item), settings, cache);
    } catch (error) {
      excluded.push({ item, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const next = {
      rss: used.rss + entry.rss.bytes,
      atom: used.atom + entry.atom.bytes,
      json: used.json + entry.json.bytes,
    };
    if (Math.max(next.rss, next.atom, next.json) > budget) {
      beyond = sorted.slice(position);
      break;
    }
    used = next;
    rendered.push(entry);
  }
  // The feed changed when its latest item did: a correction of an older article counts.
  const latest = Math.max(...rendered.map(({ item }) => Date.parse(item.updated ?? item.published)));
  const updated = rendered.length > 0 ? new Date(latest).toISOString() : EPOCH;
  // A head depends on the settings, the view and the date alone (not on the render's time), and `feed`
  // takes a fifth of a millisecond to write one: a render redone over the same newest item (a lost
  // conditional write, a sweep) reuses it.
  const headKey = JSON.stringify([updated, view, { ...settings, now: undefined }]);
  const weigh = (head: string) => 2 * head.length;
  return {
    rss: renderRss(
      rendered.map((r) => r.rss),
      settings,
      updated,
      view,
      cache.get('rss-head', headKey, () => rssHead(settings, updated, view), weigh),
    ),
    atom: renderAtom(
      rendered.map((r) => r.atom),
      settings,
      updated,
      view,
      cache.get('atom-head', headKey, () => atomHead(settings, updated, view), weigh),
    ),
    json: renderJsonFeed(
      rendered.map((r) => r.json),
      settings,
      view,
    ),
    included: rendered.map((r) => r.item),
    excluded,
    beyond,
    sorted,
  };
}

/**
 * How many items to render at once next: about as many as the rest of the byte budget holds, judged
 * by the items so far, so that a long list cut by the budget is not rendered far past the cut.
 */
function nextBatch(done: number, usedBytes: number, budget: number): number {
  if (done === 0 || usedBytes === 0) return 16;
  return Math.min(64, Math.max(4, Math.ceil((budget - usedBytes) / (usedBytes / done)) + 1));
}

/**
 * Fills the memo for `items` several at a time (render/elements.ts prepareElements), so that the
 * renderItem calls that follow find their RSS and Atom elements made. An item that cannot be checked
 * is left for renderItem to report.
 */
function prepare(items: readonly Item[], settings: FeedSettings, cache: RenderCache): void {
  const ready: Item[] = [];
  // A warm render is handed the same item objects again: looking each up twice cost a quarter of it.
  // One seen before whose checked copy the memo let go (a render larger than the memo) is likely to
  // have lost its elements too, which go just after it: they are made again here, with the others,
  // not one by one in renderItem at several times the cost.
  for (const raw of items.filter((item) => !cache.seen(item) || !cache.has('safe', cache.keyOf(item)))) {
    try {
      ready.push(checked(raw, settings, cache));
    } catch {
      // renderItem meets the same error and reports it.
    }
  }
  prepareElements(RSS_ELEMENT, ready, settings, cache);
  prepareElements(ATOM_ELEMENT, ready, settings, cache);
}

/** The item as the renderers take it: checked and cleaned, and shortened in excerpt mode. */
function checked(raw: Item, settings: FeedSettings, cache: RenderCache): Item {
  // Checking and cleaning, like rendering, happen once per item version. Weighed by the text it
  // carries, twice (JavaScript strings take up to two bytes a character).
  const weigh = (safe: Item) => 2 * (safe.contentHtml.length + safe.summary.length) + 1_024;
  const rawKey = cache.keyOf(raw);
  const safe = cache.get('safe', rawKey, () => cache.keyed(trustworthy(raw), `safe:${rawKey}`), weigh);
  // The excerpt is kept like the checked item, so the same article is the same object on every render
  // and its formats' fragments, keyed by that object, are reused (render/memo.ts).
  const safeKey = cache.keyOf(safe);
  return settings.excerptOnly
    ? cache.get('excerpt', safeKey, () => cache.keyed(shortened(safe), `excerpt:${safeKey}`), weigh)
    : safe;
}

function renderItem(raw: Item, settings: FeedSettings, cache: RenderCache): Rendered {
  const item = checked(raw, settings, cache);
  return {
    item,
    rss: rssItem(item, settings, cache),
    atom: atomEntry(item, settings, cache),
    json: jsonItem(item, cache),
  };
}

/**
 * Why `item` would be left out of the feeds, or undefined when every format renders it and passes the
 * strict check: the same render and check renderFeeds applies to each item, so a caller can reject an
 * item before recording it instead of publishing an outcome the feeds will not show. Given the cache
 * the later renderFeeds gets, that render reuses this work.
 */
export function checkItem(
  item: Item,
  settings: FeedSettings,
  cache: RenderCache = new RenderCache(),
): string | undefined {
  try {
    renderItem(item, xmlSafe(settings), cache);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * An item as the renderers may take it, whoever wrote it: checked, and its HTML cleaned again with the
 * parser's allowlist unless its seal says the parser's cleaner made it as it is, so that a record
 * edited by hand publishes no script. Cleaning the parser's HTML again changes nothing (it is a fixed
 * point), so a sealed item renders the same bytes either way, and the seal only saves the time: on a
 * cold render of 13 KB articles, cleaning again cost more than `feed` takes for the whole feed.
 */
function trustworthy(raw: Item): Item {
  // The body is left to sanitizeHtml, which takes out what XML forbids before it parses: cleaning
  // it here as well read every body twice.
  const item = xmlSafe({ ...raw, contentHtml: '' });
  const problem = itemProblem(item);
  if (problem) throw new RenderError(`item ${item.link} cannot be rendered: ${problem}`);
  if (raw.cleanSeal !== undefined && raw.cleanSeal === cleanSeal(raw.contentHtml)) {
    return { ...item, contentHtml: raw.contentHtml };
  }
  try {
    return { ...item, contentHtml: sanitizeHtml(raw.contentHtml, item.link) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RenderError(`item ${item.link} cannot be rendered: ${reason}`);
  }
}

/**
 * Characters XML forbids never reach `feed`, which passes them through. Items from the parser are
 * clean already; this guards every other way in (old records, settings from the environment).
 */
function xmlSafe<T>(value: T): T {
  if (typeof value === 'string') return stripXmlIllegal(value) as T;
  if (Array.isArray(value)) return value.map(xmlSafe) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)])) as T;
  }
  return value;
}

function largest(entry: Rendered): number {
  return Math.max(entry.rss.bytes, entry.atom.bytes, entry.json.bytes);
}

/**
 * The item with its summary and a link to the article in place of its body: what excerpt mode
 * publishes, and what an article larger than a whole feed is published with.
 */
function shortened(item: Item): Item {
  return {
    ...item,
    contentHtml: `<p>${escapeMarkup(item.summary)}</p><p><a href="${escapeMarkup(item.link)}">${escapeMarkup(item.title)}</a></p>`,
  };
}

/**
 * Two items of one feed never share an `updated` (readers take it for "nothing new"): where two would,
 * the later one in feed order gets the next free millisecond, or, where that would pass `latest` (the
 * render's time), the latest free one before it. Deterministic, since the order is; an
 * item needing no change is the same object, so its cached renders stay valid.
 */
function withDistinctUpdates(sorted: Item[], latest: number): Item[] {
  const used = new Set<number>();
  return sorted.map((item) => {
    const own = Date.parse(item.updated ?? item.published);
    // A date that is none is left for the item's own check to report.
    if (Number.isNaN(own)) return item;
    let at = Math.max(own, Date.parse(item.published) || own);
    while (used.has(at)) at += 1;
    // Past the render's time: the latest free millisecond up to it instead.
    if (at > latest) for (at = latest; used.has(at); ) at -= 1;
    used.add(at);
    return at === own ? item : { ...item, updated: new Date(at).toISOString() };
  });
}

/** Newest first; the id breaks ties so equal dates still give one order. */
function newestFirst(a: Item, b: Item): number {
  return byCodeUnits(b.published, a.published) || byCodeUnits(a.id, b.id);
}

export { RenderCache } from './memo.js';
export { OPML_FILE } from './opml.js';
export { FEED_FILES, type FeedSettings } from './settings.js';
export { isFeedKey, publicKeysOf, viewFiles } from './site-files.js';
export { SITEMAP_FILE } from './sitemap.js';
export { MAIN_VIEW, type RelatedView, type View } from './view.js';
