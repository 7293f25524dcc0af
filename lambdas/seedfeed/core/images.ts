import { type AnyNode, type Element, Text } from 'domhandler';
import { isTag, isText } from './dom.js';

// Images as lazy-loading pages write them: the real address in data-src, srcset, a <picture>'s
// sources or a <noscript> copy, and a placeholder (a blank GIF, a data: URL) in src.

/** The alt text of an image without an address, told apart from article text. */
export class AltText extends Text {}

const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url'];
const PLACEHOLDER = /placeholder|blank|spacer|lazy|transparent|pixel|grey\.gif|loading/i;

/** Lazy-loading pages keep the real image in data-src or srcset and a placeholder in src. */
export function resolveLazyImage(img: Element): void {
  const lazy = LAZY_SRC.map((name) => img.attribs[name]).find((value) => value?.trim());
  const src = img.attribs.src?.trim() ?? '';
  if (lazy && (!src || isPlaceholder(src))) {
    img.attribs.src = lazy.trim();
    return;
  }
  if (!src || src.startsWith('data:')) {
    const best = largestCandidate(img.attribs.srcset ?? img.attribs['data-srcset'] ?? '');
    if (best) img.attribs.src = best;
  }
}

/** A src that only holds the place of the real image. */
export function isPlaceholder(src: string): boolean {
  // A long src is no placeholder name: only its start is looked at.
  return src.startsWith('data:') || PLACEHOLDER.test(src.slice(0, 200));
}

/** The widest (or densest) candidate of a srcset: readers show one image, so show the sharpest. */
export function largestCandidate(srcset: string): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = Number.parseFloat(descriptor) || 1;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url;
}

/** A <picture> whose <img> has no address of its own takes its first source's sharpest one. */
export function resolvePicture(picture: Element): void {
  let img: Element | undefined;
  let srcset: string | undefined;
  for (const child of picture.children) {
    if (!isTag(child)) continue;
    if (child.name === 'img') img ??= child;
    else if (child.name === 'source') srcset ??= child.attribs.srcset ?? child.attribs['data-srcset'];
  }
  if (!img || (img.attribs.src?.trim() && !isPlaceholder(img.attribs.src))) return;
  const best = largestCandidate(srcset ?? '');
  if (best) img.attribs.src = best;
}

/** A <noscript> that holds the real image: its content is kept, where a script would have put it. */
export function holdsImage(noscript: Element): boolean {
  return noscript.children.some(
    (child) => isTag(child) && (child.name === 'img' || child.name === 'picture'),
  );
}

/** The text an image that cannot be shown (a data: URL) leaves: its alt text, or nothing. */
export function altText(img: Element): AnyNode[] {
  const alt = img.attribs.alt?.trim();
  return alt ? [new AltText(alt)] : [];
}

/**
 * Siblings as a script would leave them: the placeholder just before an image that came out of a
 * <noscript> (`fromNoscript`) is gone, with the alt text it left if it had no address.
 */
export function withoutPlaceholders(children: AnyNode[], fromNoscript: ReadonlySet<AnyNode>): AnyNode[] {
  if (fromNoscript.size === 0 || !children.some((node) => fromNoscript.has(node))) return children;
  const out: AnyNode[] = [];
  for (const node of children) {
    if (fromNoscript.has(node)) {
      // Back over white space to the node before: drop it if it is an image or an image's alt text.
      let at = out.length - 1;
      while (at >= 0 && isText(out[at] as AnyNode) && !(out[at] as Text).data.trim()) at--;
      const before = out[at];
      if (before && !fromNoscript.has(before) && isPlaceholderNode(before)) out.splice(at);
    }
    out.push(node);
  }
  return out;
}

function isPlaceholderNode(node: AnyNode): boolean {
  if (isTag(node)) return node.name === 'img';
  return node instanceof AltText;
}
