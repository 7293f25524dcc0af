import { createHash } from 'node:crypto';
import { Feed, type Item as FeedItem } from 'feed';
import { RenderError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { cdataSafe } from './escape.js';
import type { RenderCache } from './memo.js';

/** One item rendered for one format, checked once when made and reused while the item is unchanged. */
export interface Fragment {
  text: string;
  /**
   * `text` in UTF-8, encoded once, in parts: a feed's bytes are then copied from its fragments, not
   * re-encoded, and an item's body is one buffer shared by its RSS and Atom fragments.
   */
  utf8: readonly Buffer[];
  bytes: number;
  /** Namespace prefixes the fragment uses, so the document declares exactly those. */
  prefixes: readonly string[];
}

export function fragmentOf(text: string, prefixes: readonly string[] = []): Fragment {
  // Outside Node's shared 8 KB pool: a small fragment kept in a memo would otherwise keep a whole
  // slab alive, and the memo's byte bound would not see it.
  const utf8 = slowUtf8(text);
  return { text, utf8: [utf8], bytes: utf8.length, prefixes };
}

function slowUtf8(text: string): Buffer {
  const utf8 = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  utf8.write(text, 'utf8');
  return utf8;
}

/** What a kept fragment costs: its text (up to two bytes a UTF-8 byte) and its UTF-8 copy. */
export function fragmentWeight(fragment: Fragment): number {
  return fragment.bytes * 3;
}

/** A rendered document as the small strings around its item fragments, in order. */
export type Piece = string | Fragment;

export function piecesText(pieces: readonly Piece[]): string {
  return pieces.map((piece) => (typeof piece === 'string' ? piece : piece.text)).join('');
}

export function piecesBytes(pieces: readonly Piece[]): Buffer {
  return Buffer.concat(
    pieces.flatMap((piece) => (typeof piece === 'string' ? [Buffer.from(piece, 'utf8')] : piece.utf8)),
  );
}

export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** Cut the one `<tag>…</tag>` element out of a document `feed` rendered around a single item. */
export function extractElement(document: string, tag: string): string {
  const start = document.indexOf(`<${tag}>`);
  const close = `</${tag}>`;
  const end = document.lastIndexOf(close);
  if (start < 0 || end < start) throw new RenderError(`feed rendered no <${tag}> element`);
  return document.slice(start, end + close.length);
}

export function makeFragment(
  item: Item,
  text: string,
  cache: RenderCache,
  defaultNamespace?: string,
): Fragment {
  const problem = cache.problem(text, defaultNamespace);
  if (problem) throw new RenderError(`item ${item.link} cannot be rendered: ${problem}`);
  return fragmentOf(text, prefixesIn(text));
}

function prefixesIn(...texts: string[]): string[] {
  return PREFIXES.filter((prefix) => texts.some((text) => text.includes(`<${prefix}:`)));
}

const PREFIXES = ['content', 'dc', 'media', 'atom'];

// Stands in for an item's body while `feed` renders the element around it (see withBody).
/** Exported for the tests that put it where an item's own text could be. */
export const BODY = 'seedfeed\u{E000}body';
const BODY_SECTION = `<![CDATA[${BODY}]]>`;

/** An item's HTML as RSS and Atom carry it in CDATA, checked and encoded once for both. */
export interface Body {
  text: string;
  utf8: Buffer;
  /** Why `text` cannot stand in a CDATA section, if it cannot (render/check.ts cdataProblem). */
  problem: string | undefined;
}

export function bodyOf(item: Item, cache: RenderCache): Body {
  return cache.get(
    'body',
    cache.keyOf(item),
    () => {
      const text = cdataSafe(item.contentHtml);
      return { text, utf8: slowUtf8(text), problem: cache.cdataProblem(text) };
    },
    (body) => body.utf8.length,
  );
}

/**
 * An item's element whose body is put in after `feed` rendered, and the parser checked, the rest.
 * xml-js copies every string once per level of the element tree, and the body is most of an item's
 * bytes; it writes CDATA text with no `]]>` as it is, so the bytes are those `render(body.text)`
 * gives. `render` takes the body to pass to `feed` and returns the finished element text. Where the
 * placeholder is not found alone in a CDATA section of its own (an item's title may quote it), the
 * body goes through `feed` after all.
 */
export function withBody(
  item: Item,
  body: Body,
  render: (body: string) => string,
  cache: RenderCache,
  defaultNamespace?: string,
): Fragment {
  if (body.text === '') return makeFragment(item, render(''), cache, defaultNamespace);
  const skeleton = render(BODY);
  const at = skeleton.indexOf(BODY_SECTION);
  if (at < 0 || skeleton.indexOf(BODY) !== at + 9 || skeleton.includes(BODY, at + 10)) {
    return makeFragment(item, render(body.text), cache, defaultNamespace);
  }
  const problem = body.problem ?? cache.problem(skeleton, defaultNamespace);
  if (problem) throw new RenderError(`item ${item.link} cannot be rendered: ${problem}`);
  const before = skeleton.slice(0, at + 9);
  const after = skeleton.slice(at + 9 + BODY.length);
  // The two ends in one small buffer of their own, outside Node's pool (see fragmentOf).
  const ends = slowUtf8(before + after);
  const split = Buffer.byteLength(before, 'utf8');
  const utf8 = [ends.subarray(0, split), body.utf8, ends.subarray(split)];
  return {
    text: before + body.text + after,
    utf8,
    bytes: ends.length + body.utf8.length,
    prefixes: prefixesIn(skeleton, body.text),
  };
}

/** A `feed` document around one item, from which the item's element is cut (see extractElement). */
export function feedOfOne(item: FeedItem): Feed {
  const feed = new Feed({ id: 'urn:x', title: 'x', link: 'https://x.invalid/', updated: new Date(0) });
  feed.addItem(item);
  return feed;
}

/** `feed` cannot add feed-level links; they go on the lines after the line holding `marker`. */
export function afterLine(document: string, marker: string, lines: string): string {
  const end = document.indexOf('\n', document.indexOf(marker));
  if (end < 0) throw new RenderError(`rendered head has no ${marker}`);
  return `${document.slice(0, end + 1)}${lines}${document.slice(end + 1)}`;
}

/** Insert fragments before the closing tag of a document, one per line at item depth. */
export function assemble(head: string, closing: string, fragments: readonly Fragment[]): Piece[] {
  const at = head.lastIndexOf(closing);
  if (at < 0) throw new RenderError(`rendered head has no ${closing}`);
  return [head.slice(0, at), ...fragments.flatMap((fragment) => [fragment, '\n']), head.slice(at)];
}
