import { hash } from 'node:crypto';
import render from 'dom-serializer';
import { type AnyNode, type Document, type Element, Text } from 'domhandler';
import { allowlist, DROP, IMAGE_SCHEMES } from './allowlist.js';
import { removeCopyrightLines } from './boilerplate.js';
import { newBylines } from './byline.js';
import { findInOrder, isTag, isText, replaceWith, rewrite, shortTextOf, textOf } from './dom.js';
import { HTML_LIMITS, parseHtml } from './html.js';
import type { Author, Enclosure } from './item.js';
import { takeLeadingByline } from './leading-byline.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';
import { absoluteUrl } from './url.js';

/** What the body of a seed yields once the page furniture is gone. */
export interface CleanBody {
  contentHtml: string;
  /** Plain text of the bold lead, else of the first paragraph, else the start of the body. */
  summary: string;
  /** The first image before any text: the article's lead image. */
  image?: string;
  /** The first audio or video: a podcast's episode, a clip. */
  enclosure?: Enclosure;
  /** `dd/mm/yyyy - hh:mm` shown at the top of the body, if any (a fallback publish time). */
  shownDate?: string;
  /** Plain text of the whole body, for language detection. */
  text: string;
  /** Who the body's markup credits, in order (see byline.ts). */
  authors?: Author[];
}

const SHOWN_DATE = /^(\d{2})\/(\d{2})\/(\d{4})\s*-\s*(\d{2}):(\d{2})$/;

export function cleanBody(html: string, articleUrl: string): CleanBody {
  // Flattened past the depth limit, a dropped element's text is dropped with it.
  const root = parseHtml(stripXmlIllegal(html), { mute: DROP });
  // Most bodies have no <base>: a look at the text spares a walk of the tree.
  const baseUrl = /<base[\s/>]/i.test(html) ? baseHref(root, articleUrl) : articleUrl;

  const shownDate = takeShownDate(root);
  const players: Enclosure[] = [];
  const mediaLinks: Enclosure[] = [];
  const bylines = newBylines(baseUrl);
  rewrite(root, allowlist(baseUrl, players, mediaLinks, bylines));
  removeCopyrightLines(root);
  // Before the lead image: with the date line and the byline gone, an image below them leads.
  takeLeadingByline(root, bylines);
  const image = takeLeadImage(root);
  const kept = removeEmpty(root);
  const enclosure = players[0] ?? mediaLinks[0];

  // Text nodes apart: the words of two blocks (`<p>a</p><p>b</p>`) are two words.
  const text = collapseWhitespace(textOf(root, ' '));
  const summary = leadText(kept) ?? text;
  // utf8: by default every non-ASCII character becomes a numeric entity, tripling Chinese text. A
  // character reference (`&#1;`) decodes to a character XML forbids, which only the output shows.
  const contentHtml = stripXmlIllegal(render(root.children, { encodeEntities: 'utf8' })).trim();
  return {
    contentHtml,
    summary,
    text,
    ...(image ? { image } : {}),
    ...(enclosure ? { enclosure } : {}),
    ...(shownDate ? { shownDate } : {}),
    ...(bylines.authors.length > 0 ? { authors: bylines.authors } : {}),
  };
}

/**
 * Names this cleaner in every seal. Change it whenever what cleaning keeps changes (the allowlist, the
 * URL rules): records sealed by an older cleaner then no longer match and are cleaned again at render.
 */
const CLEANER = 'seedfeed-clean/1';

/**
 * A mark that `html` is this cleaner's own output, kept in the record beside it, so that a render can
 * tell the parser's HTML (a fixed point of sanitizeHtml: tests/property/reclean.test.ts) from HTML
 * edited since, without cleaning it again. A hash, not a signature: it catches hand edits and older
 * cleaners, not someone who writes the private state area on purpose (who could write the feeds too).
 */
export function cleanSeal(html: string): string {
  return hash('sha256', `${CLEANER}\n${html}`, 'base64url');
}

/**
 * Article HTML from anywhere but the parser (a record read back from storage) made safe again: the same
 * allowlist, nothing else taken out. Over the parser's budget it throws an HtmlBudgetError.
 */
export function sanitizeHtml(html: string, baseUrl: string): string {
  // Twice the parser's depth: cleaning may nest an embed's link one or two levels below where the
  // parser stopped, and its own output must come through unchanged. Still far from any stack limit.
  const root = parseHtml(stripXmlIllegal(html), { mute: DROP, depth: 2 * HTML_LIMITS.depth });
  rewrite(root, allowlist(baseUrl, [], []));
  return render(root.children, { encodeEntities: 'utf8' }).trim();
}

/** The page's `<base href>`, resolved against the article URL, is what its relative URLs mean. */
function baseHref(root: Document, articleUrl: string): string {
  const base = findInOrder(root, (node) => isTag(node) && node.name === 'base' && !!node.attribs.href);
  const href = base && isTag(base) ? base.attribs.href : undefined;
  return (href && absoluteUrl(href, articleUrl, IMAGE_SCHEMES)) || articleUrl;
}
/** The date line at the top of the body duplicates the item's date field. */
function takeShownDate(root: Document): string | undefined {
  for (const node of root.children.slice(0, 4)) {
    if (!isTag(node)) continue;
    // A bounded look: the first block may be the whole article, and a date line is a few words.
    const short = shortTextOf(node, 200, 20);
    const text = short === undefined ? undefined : collapseWhitespace(short);
    if (text !== undefined && SHOWN_DATE.test(text)) {
      replaceWith(node, []);
      return text;
    }
    if (text !== '' && (text !== undefined || hasWords(node))) return undefined;
  }
  return undefined;
}

/** Whether any text below `node` is more than white space; stops at the first word. */
const hasWords = (node: Element): boolean =>
  findInOrder(node, (child) => isText(child) && child.data.trim() !== '') !== undefined;

/**
 * The first image before any text is the lead image; the item carries it, so the content does not,
 * unless it has a caption (whose credit belongs with it) or is all the article there is.
 */
function takeLeadImage(root: Document): string | undefined {
  const found = findInOrder(root, (node) => isLeadImage(node) || (isText(node) && node.data.trim() !== ''));
  if (!found || !isLeadImage(found)) return undefined;
  const figure = closest(found, 'figure');
  if (!(figure && hasCaption(figure)) && !isAllThereIs(root, found)) replaceWith(figure ?? found, []);
  return found.attribs.src;
}

function hasCaption(figure: Element): boolean {
  return figure.children.some(
    (child) => isTag(child) && child.name === 'figcaption' && textOf(child).trim() !== '',
  );
}

/** Nothing else to read or see in the body: no text anywhere, no other image or player. */
function isAllThereIs(root: Document, image: Element): boolean {
  if (textOf(root).trim()) return false;
  const other = findInOrder(root, (node) => isTag(node) && node !== image && MEDIA_CONTENT.has(node.name));
  return other === undefined;
}

const MEDIA_CONTENT = new Set(['img', 'audio', 'video']);

const isLeadImage = (node: AnyNode): node is Element =>
  isTag(node) && node.name === 'img' && Boolean(node.attribs.src);

const INLINE = new Set('span b i strong em u s small mark sub sup code a abbr cite q time'.split(' '));

// Elements that show something without text: kept however empty (a player's sources are inside it).
const VOID_CONTENT = new Set(['img', 'br', 'hr', 'audio', 'video', 'source']);

/**
 * Wrappers with nothing to read or see in them, removed bottom-up until none is left. Returns what
 * tells the elements left with text in them from those left for what they show (see Kept).
 */
function removeEmpty(root: Document): Kept {
  // Every element still in the tree has text, unless it is in one of these: the common case costs
  // no bookkeeping, which matters for seeds of tens of thousands of small elements.
  const kept: Kept = { mediaOnly: new Set(), emptyCells: new Set(), lead: undefined, aboveLead: new Set() };
  rewrite(root, {
    settle: (children) => trimBreaks(children),
    leave(el) {
      let text = false;
      let media = false;
      let space = false;
      for (const child of el.children) {
        if (isText(child)) {
          text ||= child.data.trim() !== '';
          space ||= child.data !== '';
        } else if (isTag(child)) {
          const shows = VOID_CONTENT.has(child.name) || kept.mediaOnly.has(child);
          if (shows) media = true;
          else if (!kept.emptyCells.has(child)) text = true;
        }
      }
      if (text && el.name === 'p') noteParagraph(el, kept);
      if (text || VOID_CONTENT.has(el.name)) return undefined;
      if (media) {
        kept.mediaOnly.add(el);
        return undefined;
      }
      // A table keeps its shape: an empty cell stays, though it gives its row nothing to show.
      if (el.name === 'td' || el.name === 'th') {
        kept.emptyCells.add(el);
        return undefined;
      }
      // An empty inline element that held a space (Word's `<span>&nbsp; </span>`) leaves the space,
      // or the words on either side of it would run together.
      return space && INLINE.has(el.name) ? [new Text(' ')] : [];
    },
  });
  return kept;
}

/** What removeEmpty learns as it goes. */
interface Kept {
  /** Elements kept without text in them; every other element left has some. */
  mediaOnly: Set<Element>;
  emptyCells: Set<Element>;
  /** The first paragraph with text, in document order, outside figures (a caption is no lead). */
  lead: Element | undefined;
  /** The lead's ancestors: the only paragraphs left after it that come before it in the document. */
  aboveLead: Set<AnyNode>;
}

/** Elements are left innermost first: a paragraph left after the lead replaces it only if it holds it. */
function noteParagraph(p: Element, kept: Kept): void {
  if (kept.lead !== undefined) {
    if (kept.aboveLead.has(p)) kept.lead = p;
    return;
  }
  const above = new Set<AnyNode>();
  for (let node = p.parent; node && isTag(node); node = node.parent) {
    if (node.name === 'figure') return;
    above.add(node);
  }
  kept.lead = p;
  kept.aboveLead = above;
}

/** Leading and trailing <br> in a block are layout debris. */
function trimBreaks(children: AnyNode[]): AnyNode[] {
  const first = children.findIndex(isEdge);
  const last = children.findLastIndex(isEdge);
  // Runs once per element: plain loops, and a new list only when there is debris to leave out.
  let kept: AnyNode[] | undefined;
  for (let i = 0; i < children.length; i++) {
    const node = children[i] as AnyNode;
    const debris = isBreak(node) && (first < 0 || i < first || i > last);
    if (debris) kept ??= children.slice(0, i);
    else kept?.push(node);
  }
  return kept ?? children;
}

const isBreak = (node: AnyNode): boolean => isTag(node) && node.name === 'br';
const isEdge = (node: AnyNode): boolean => !isBreak(node) && !(isText(node) && !node.data.trim());

/** The text of the first paragraph with text (a bold lead is one), if any, outside figures. */
function leadText(kept: Kept): string | undefined {
  return kept.lead ? collapseWhitespace(textOf(kept.lead)) : undefined;
}

function closest(node: AnyNode, tag: string): Element | undefined {
  let current = node.parent;
  while (current && isTag(current)) {
    if (current.name === tag) return current;
    current = current.parent;
  }
  return undefined;
}
