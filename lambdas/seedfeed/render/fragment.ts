import { RenderError } from '../core/errors.js';
import type { Item } from '../core/item.js';
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

export function slowUtf8(text: string): Buffer {
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

export function prefixesIn(...texts: string[]): string[] {
  return PREFIXES.filter((prefix) => texts.some((text) => text.includes(`<${prefix}:`)));
}

export const PREFIXES = ['content', 'dc', 'media', 'atom'];

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
