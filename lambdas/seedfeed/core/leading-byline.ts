import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import { bylineNames, cleanName, mergeAuthors } from './author.js';
import { type Bylines, type Named, withBreak, withLink } from './byline.js';
import { findInOrder, isTag, isText, replaceWith, shortTextOf } from './dom.js';

// The one byline read from words rather than markup: a "By …" line at the very top of the cleaned
// body, in an element of its own, whose every name reads as one (core/author.ts). Looks at a few
// elements only, after the cleaning pass (byline.ts reads the marked ones during it).

const LEADING_LINES = 3;
const LEADING_TEXT_MAX = 200;
const LINE_TAGS = new Set(['p', 'div', 'address']);

/**
 * A "By …" line among the first lines of the cleaned body, alone in its paragraph (the markup bounds
 * it): its names are recorded and the line leaves the content. Looks at a few elements only.
 */
export function takeLeadingByline(root: Document, found: Bylines): void {
  let parent: ParentNode = root;
  let lines = 0;
  for (let depth = 0, at = 0, looked = 0; depth < 4 && lines < LEADING_LINES && looked < 16; looked++) {
    const node: AnyNode | undefined = parent.children[at++];
    if (!node) return;
    if (isText(node)) {
      if (node.data.trim()) return;
      continue;
    }
    if (!isTag(node)) continue;
    const text = lineText(node);
    if (text === undefined) {
      // A wrapper around the article: its first lines are the body's.
      if (node.name !== 'div') return;
      parent = node;
      at = 0;
      depth++;
      continue;
    }
    if (!text.trim()) continue;
    lines++;
    if (!LINE_TAGS.has(node.name)) continue;
    const names = bylineNames(
      text,
      'line',
      found.authors.map((a) => a.name),
    );
    if (names.length === 0) continue;
    const links = linksIn(node);
    mergeAuthors(
      found.authors,
      names.map((name) =>
        withLink({ name }, links.find((l) => cleanName(l.text) === name)?.href, found.baseUrl),
      ),
    );
    // A byline that is all there is stays: an article of no words would say less than its byline.
    if (somethingFollows(node, root)) replaceWith(node, []);
    return;
  }
}

/** Whether anything but white space comes after `node` in the body (a climb of a few levels). */
function somethingFollows(node: AnyNode, root: Document): boolean {
  for (let at: AnyNode | null = node; at && at !== root; at = at.parent as AnyNode | null) {
    for (let next = at.next; next; next = next.next) if (!isText(next) || next.data.trim()) return true;
  }
  return false;
}

/** The text of a short element with its line breaks, or undefined past LEADING_TEXT_MAX or 40 nodes. */
function lineText(node: Element): string | undefined {
  let text = '';
  let seen = 0;
  const cut = findInOrder(node, (child) => {
    if (++seen > 40) return true;
    if (isText(child)) {
      text += child.data.slice(0, LEADING_TEXT_MAX + 1);
      return text.length > LEADING_TEXT_MAX;
    }
    if (isTag(child)) text = withBreak(text, child);
    return false;
  });
  return cut ? undefined : text;
}

/** The links of a short line (already bounded by the caller's look at its text). */
function linksIn(node: Element): Named[] {
  const links: Named[] = [];
  let seen = 0;
  findInOrder(
    node,
    (child) => {
      if (++seen > 40) return true;
      if (isTag(child) && child.name === 'a' && child.attribs.href) {
        links.push({ text: shortTextOf(child, LEADING_TEXT_MAX, 20) ?? '', href: child.attribs.href });
      }
      return false;
    },
    (child) => child.name !== 'a',
  );
  return links;
}
