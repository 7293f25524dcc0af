import { Feed, type Item as FeedItem } from 'feed';
import { RenderError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { cdataSafe } from './escape.js';
import { type Fragment, fragmentWeight, makeFragment, PREFIXES, prefixesIn, slowUtf8 } from './fragment.js';
import type { RenderCache } from './memo.js';
import type { FeedSettings } from './settings.js';

/** How a format has `feed` render an item's element, and what it mends in it (rss.ts, atom.ts). */
export interface ElementFormat {
  /** What the memo keeps the fragments as. */
  kind: string;
  /** The item element's name, and its indentation in the document. */
  tag: string;
  indent: string;
  /** The default namespace the element is checked in. */
  namespace?: string;
  key(item: Item, settings: FeedSettings, cache: RenderCache): string;
  /** `body` is the content as `feed` gets it: the item's own, or the placeholder. */
  feedItem(item: Item, settings: FeedSettings, body: string): FeedItem;
  write(feed: Feed): string;
  /** The element `feed` wrote, mended: the fragment's text after its indentation. */
  finish(element: string, item: Item, settings: FeedSettings): string;
}

/** An item's element in one format, made once while the item is unchanged. */
export function elementOf(
  format: ElementFormat,
  item: Item,
  settings: FeedSettings,
  cache: RenderCache,
): Fragment {
  return cache.get(
    format.kind,
    format.key(item, settings, cache),
    () => withBody(format, item, settings, cache),
    fragmentWeight,
  );
}

// Stands in for an item's body while `feed` renders the element around it (see withBody).
/** Exported for the tests that put it where an item's own text could be. */
export const BODY = 'seedfeed\u{E000}body';
const BODY_SECTION = `<![CDATA[${BODY}]]>`;
const BODY_BYTES = Buffer.byteLength(BODY, 'utf8');

/** An item's HTML as RSS and Atom carry it in CDATA, checked and encoded once for both. */
export interface Body {
  text: string;
  utf8: Buffer;
  /** Why `text` cannot stand in a CDATA section, if it cannot (render/check.ts cdataProblem). */
  problem: string | undefined;
  /** The namespace prefixes `text` uses in element names (see fragment.ts prefixesIn). */
  prefixes: readonly string[];
}

export function bodyOf(item: Item, cache: RenderCache): Body {
  return cache.get(
    'body',
    cache.keyOf(item),
    () => {
      const text = cdataSafe(item.contentHtml);
      return { text, utf8: slowUtf8(text), problem: cache.cdataProblem(text), prefixes: prefixesIn(text) };
    },
    (body) => body.utf8.length,
  );
}

/**
 * An item's element whose body is put in after `feed` rendered, and the parser checked, the rest.
 * xml-js copies every string once per level of the element tree, and the body is most of an item's
 * bytes; it writes CDATA text with no `]]>` as it is, so the bytes are those rendering the body
 * through `feed` gives. Where the placeholder is not found alone in a CDATA section of its own (an
 * item's title may quote it), the body goes through `feed` after all.
 */
function withBody(format: ElementFormat, item: Item, settings: FeedSettings, cache: RenderCache): Fragment {
  const body = bodyOf(item, cache);
  const render = (text: string) => {
    const document = format.write(feedOf([format.feedItem(item, settings, text)]));
    return format.indent + format.finish(extractElement(document, format.tag), item, settings);
  };
  const skeleton = body.text === '' ? undefined : render(BODY);
  const at = skeleton === undefined ? undefined : bodySlot(skeleton);
  if (skeleton === undefined || at === undefined) {
    return makeFragment(item, render(body.text), cache, format.namespace);
  }
  const problem = body.problem ?? cache.problem(skeleton, format.namespace);
  if (problem) throw new RenderError(`item ${item.link} cannot be rendered: ${problem}`);
  return bodied(skeleton, at, body);
}

/** Where the body goes in `skeleton`, if the placeholder is there once, as a CDATA section's text. */
function bodySlot(skeleton: string): number | undefined {
  const at = skeleton.indexOf(BODY_SECTION) + 9;
  return at >= 9 && skeleton.indexOf(BODY) === at && !skeleton.includes(BODY, at + 1) ? at : undefined;
}

function bodied(skeleton: string, at: number, body: Body): Fragment {
  // The skeleton encoded whole, in a small buffer of its own outside Node's pool (see fragmentOf);
  // the fragment's bytes are its two ends around the body's.
  const ends = slowUtf8(skeleton);
  const split = Buffer.byteLength(skeleton.slice(0, at), 'utf8');
  return {
    text: skeleton.slice(0, at) + body.text + skeleton.slice(at + BODY.length),
    utf8: [ends.subarray(0, split), body.utf8, ends.subarray(split + BODY_BYTES)],
    bytes: ends.length - BODY_BYTES + body.utf8.length,
    prefixes: PREFIXES.filter((prefix) => body.prefixes.includes(prefix) || skeleton.includes(`<${prefix}:`)),
  };
}

/**
 * Renders the elements of the `items` not kept yet in one `feed` document, instead of one document
 * each, and checks them in one parse: what a fresh instance spends most of a render on. It only fills
 * the memo, with the fragments elementOf would make; whatever it cannot do at once (a fragment that
 * fails its check, an item whose text holds what separates two elements) it leaves to elementOf,
 * which renders, checks and reports each item alone.
 */
export function prepareElements(
  format: ElementFormat,
  items: readonly Item[],
  settings: FeedSettings,
  cache: RenderCache,
): void {
  const todo = items
    .map((item) => ({ item, key: format.key(item, settings, cache) }))
    .filter(({ key }) => !cache.has(format.kind, key))
    .map((entry) => ({ ...entry, body: bodyOf(entry.item, cache) }))
    .filter(({ body }) => body.text !== '' && body.problem === undefined);
  if (todo.length < 2) return;
  const document = format.write(feedOf(todo.map(({ item }) => format.feedItem(item, settings, BODY))));
  const elements = splitElements(document, format.tag, format.indent, todo.length);
  if (elements === undefined) return;
  const ready = todo
    .map((entry, i) => {
      const skeleton = format.indent + format.finish(elements[i] ?? '', entry.item, settings);
      return { ...entry, skeleton, at: bodySlot(skeleton) };
    })
    .filter((entry) => entry.at !== undefined);
  if (
    cache.fragmentsProblem(
      ready.map((entry) => entry.skeleton),
      format.namespace,
    )
  )
    return;
  for (const { key, skeleton, at, body } of ready) {
    const fragment = bodied(skeleton, at ?? 0, body);
    cache.put(format.kind, key, fragment, fragmentWeight(fragment));
  }
}

/** A `feed` document around items, from which their elements are cut. */
function feedOf(items: readonly FeedItem[]): Feed {
  const feed = new Feed({ id: 'urn:x', title: 'x', link: 'https://x.invalid/', updated: new Date(0) });
  for (const item of items) feed.addItem(item);
  return feed;
}

/** Cut the one `<tag>…</tag>` element out of a document `feed` rendered around a single item. */
function extractElement(document: string, tag: string): string {
  const start = document.indexOf(`<${tag}>`);
  const close = `</${tag}>`;
  const end = document.lastIndexOf(close);
  if (start < 0 || end < start) throw new RenderError(`feed rendered no <${tag}> element`);
  return document.slice(start, end + close.length);
}

/**
 * The `count` elements of a document `feed` rendered around as many items, or undefined unless the
 * text that separates two of them occurs exactly where they meet: an item's own text (a title in
 * CDATA) may hold it anywhere, and then nothing says where the items meet.
 */
function splitElements(document: string, tag: string, indent: string, count: number): string[] | undefined {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const start = document.indexOf(open);
  const end = document.lastIndexOf(close);
  if (start < 0 || end < start) return undefined;
  const inner = document.slice(start + open.length, end);
  const between = `${close}\n${indent}${open}`;
  let found = 0;
  for (let at = inner.indexOf(between); at >= 0; at = inner.indexOf(between, at + 1)) found++;
  if (found !== count - 1) return undefined;
  return inner.split(between).map((element) => `${open}${element}${close}`);
}
