import { createHash } from 'node:crypto';
import { Feed, type Item as FeedItem } from 'feed';
import { RenderError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import type { RenderCache } from './memo.js';

/** One item rendered for one format, checked once when made and reused while the item is unchanged. */
export interface Fragment {
  text: string;
  /** `text` in UTF-8, encoded once: a feed's bytes are then copied from its fragments, not re-encoded. */
  utf8: Buffer;
  bytes: number;
  /** Namespace prefixes the fragment uses, so the document declares exactly those. */
  prefixes: readonly string[];
}

export function fragmentOf(text: string, prefixes: readonly string[] = []): Fragment {
  // Outside Node's shared 8 KB pool: a small fragment kept in a memo would otherwise keep a whole
  // slab alive, and the memo's byte bound would not see it.
  const utf8 = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  utf8.write(text, 'utf8');
  return { text, utf8, bytes: utf8.length, prefixes };
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
    pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece.utf8)),
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
  return fragmentOf(
    text,
    ['content', 'dc', 'media', 'atom'].filter((prefix) => text.includes(`<${prefix}:`)),
  );
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
