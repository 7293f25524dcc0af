import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import { AUTHOR_LIMITS, authorUrl, bylineNames, cleanName, mailtoAddress, mergeAuthors } from './author.js';
import { isTag, isText, replaceWith, shortTextOf } from './dom.js';
import type { Author } from './item.js';

// Who wrote the article, read from its markup: `rel="author"` links, the classes, itemprops and test
// ids news pages mark bylines with, schema.org and hCard names inside them, and a leading "By …" line.
// Never from article words: a line with no markup counts only at the top of the body, alone in its
// element, and only when every name in it reads as one. The cleaning pass calls in here as it meets
// each element (core/allowlist.ts), so finding bylines adds no walk of the tree; every look below is
// bounded, and at most LOOKS_MAX marked elements are looked at, so a seed of nothing but bylines
// costs what any seed of its size does.

/** What one cleaning pass found so far. */
export interface Bylines {
  authors: Author[];
  /** Marked elements looked at: past LOOKS_MAX the rest are cleaned as any element. */
  looks: number;
  baseUrl: string;
}

export function newBylines(baseUrl: string): Bylines {
  return { authors: [], looks: 0, baseUrl };
}

const LOOKS_MAX = 32;
// A byline is a line: more nodes or text than this is a box with a byline in it (an author's bio).
const NODES_MAX = 80;
const TEXT_MAX = 400;
// How far into a dropped <header> or <head> the pass looks for bylines.
const DROPPED_NODES_MAX = 400;

// Class and test-id tokens, split at white space, "_", "-" and camelCase: c-byline, byline__name,
// article-author, authorName, vcard author, byline-new-contributors…
const MARK_TOKENS =
  /(?:^|[\s_-])(?:[Bb]y-?[Ll]ines?|[Aa]uthors?|[Ww]riters?|[Cc]ontributors?)(?=$|[\s_-]|[A-Z])|[a-z](?:By[Ll]ines?|Authors?)(?=$|[\s_-]|[A-Z])/;
// …unless the element is the author's picture, bio, date or social links.
const NOT_A_LINE =
  /(?:^|[\s_-])(?:avatar|image|img|photo|pic|picture|thumb|thumbnail|bio|biography|social|follow|date|time|timestamp)s?(?=$|[\s_-]|[A-Z])|[a-z](?:Avatar|Image|Img|Photo|Picture|Thumb|Bio|Social|Follow|Date|Time)/;
const NAME_TOKENS = /(?:^|[\s_-])(?:fn|name|names)(?=$|[\s_-])|[a-z]Names?(?=$|[\s_-]|[A-Z])/;
const CLASS_MAX = 512;
const SKIPPED = new Set(['script', 'style', 'template', 'svg', 'math', 'button', 'noscript', 'select']);
const INLINE = new Set('a span strong b em i small cite abbr font u mark'.split(' '));

const hasToken = (value: string | undefined, token: string): boolean =>
  (value ?? '').slice(0, CLASS_MAX).toLowerCase().split(/\s+/).includes(token);

/** Whether the element's markup names it a byline: an author link, itemprop, class or test id. */
export function isBylineMark(el: Element): boolean {
  const { rel, itemprop, class: cls } = el.attribs;
  if (el.name === 'address') return true;
  if (rel !== undefined && hasToken(rel, 'author')) return true;
  if (itemprop !== undefined && (hasToken(itemprop, 'author') || hasToken(itemprop, 'creator'))) return true;
  return marks(cls) || marks(el.attribs['data-testid']);
}

function marks(value: string | undefined): boolean {
  if (value === undefined) return false;
  const head = value.slice(0, CLASS_MAX);
  return MARK_TOKENS.test(head) && !NOT_A_LINE.test(head);
}

/**
 * A marked element, before its children are cleaned: its authors are recorded, and true is returned
 * when it is a byline of its own (a block holding only the byline) that leaves the content, since the
 * item carries it as a field every format renders. An inline one (a link in a sentence) stays.
 */
export function takeByline(el: Element, found: Bylines): boolean {
  if (found.looks >= LOOKS_MAX) return false;
  found.looks++;
  const read = readMarked(el, found.baseUrl);
  mergeAuthors(found.authors, read.authors);
  return read.authors.length > 0 && read.whole && !INLINE.has(el.name);
}

/** Bylines inside an element the pass drops whole (the article's <header>, the page's <head>). */
export function bylinesInside(el: Element, found: Bylines): void {
  const pending: AnyNode[] = [...el.children].reverse();
  for (let seen = 0, node = pending.pop(); node && seen < DROPPED_NODES_MAX; node = pending.pop(), seen++) {
    if (!isTag(node) || found.looks >= LOOKS_MAX) continue;
    if (node.name === 'meta' && node.attribs.name?.toLowerCase() === 'author') {
      found.looks++;
      const names = bylineNames(node.attribs.content ?? '', 'marked');
      mergeAuthors(
        found.authors,
        names.map((name) => ({ name })),
      );
    } else if (isBylineMark(node)) takeByline(node, found);
    else pushChildren(pending, node);
  }
}

/** `<meta name="author">` where the pass drops it. */
export function metaAuthor(el: Element, found: Bylines): void {
  if (el.attribs.name?.toLowerCase() !== 'author' || found.looks >= LOOKS_MAX) return;
  found.looks++;
  mergeAuthors(
    found.authors,
    bylineNames(el.attribs.content ?? '', 'marked').map((name) => ({ name })),
  );
}

interface Read {
  authors: Author[];
  /** The whole element was read: it is no larger than a byline. */
  whole: boolean;
}

interface Named {
  text: string;
  href: string | undefined;
}

/** What a marked element says, read within NODES_MAX nodes and TEXT_MAX characters. */
function readMarked(el: Element, baseUrl: string): Read {
  const names: Named[] = [];
  const links: Named[] = [];
  let text = '';
  let whole = true;
  // Each open link or name element collects the text read while it is open.
  const open: { into: Named; until: AnyNode | null }[] = [];
  const pending: { node: AnyNode; href: string | undefined }[] = [{ node: el, href: undefined }];
  let seen = 0;
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const { node } = entry;
    while (open.length && !isInside(node, open.at(-1)?.until ?? null)) open.pop();
    if (++seen > NODES_MAX) {
      whole = false;
      break;
    }
    if (isText(node)) {
      // Cut at the bound: a name is never longer, and a huge text node costs no more than a short one.
      const data = node.data.slice(0, TEXT_MAX + 1);
      text += data;
      for (const o of open) o.into.text += data;
      if (text.length > TEXT_MAX) {
        whole = false;
        break;
      }
      continue;
    }
    if (!isTag(node) || SKIPPED.has(node.name)) continue;
    const href = node.name === 'a' && node.attribs.href ? node.attribs.href : entry.href;
    text = withBreak(text, node);
    // A date is no name: "By Jane Doe <time>June 3</time>".
    if (node.name === 'time') continue;
    if (node.name === 'meta' && isName(node)) names.push({ text: node.attribs.content ?? '', href });
    else if (isName(node) || (node !== el && node.name === 'a' && hasToken(node.attribs.rel, 'author'))) {
      const named = { text: '', href };
      names.push(named);
      open.push({ into: named, until: node });
    }
    if (node.name === 'a' && node.attribs.href) {
      const link = { text: '', href: node.attribs.href };
      links.push(link);
      open.push({ into: link, until: node });
    }
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child) pending.push({ node: child, href });
    }
  }
  // A cut text would give cut names: past the bound only the elements marked as names count.
  return { authors: authorsOf(el, names, links, whole ? text : '', baseUrl), whole };
}

/** Whether `node` lies below `ancestor` (a bounded climb: bylines are shallow). */
function isInside(node: AnyNode, ancestor: AnyNode | null): boolean {
  let current = node.parent;
  for (let depth = 0; current && depth < NODES_MAX; depth++, current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

function isName(el: Element): boolean {
  return (
    hasToken(el.attribs.itemprop, 'name') || NAME_TOKENS.test((el.attribs.class ?? '').slice(0, CLASS_MAX))
  );
}

function authorsOf(el: Element, names: Named[], links: Named[], text: string, baseUrl: string): Author[] {
  if (el.name === 'a') {
    const name = cleanName(text) ?? cleanName(el.attribs.title ?? '');
    return name ? [withLink({ name }, el.attribs.href, baseUrl)] : [];
  }
  if (names.length > 0) {
    const authors = names.flatMap(({ text: raw, href }) => {
      const name = cleanName(raw);
      return name ? [withLink({ name }, href, baseUrl)] : [];
    });
    // One author and one link beside the name: the link is theirs.
    const only = authors.length === 1 ? authors[0] : undefined;
    if (only && only.url === undefined && only.email === undefined && links.length === 1) {
      return [withLink(only, links[0]?.href, baseUrl)];
    }
    return authors;
  }
  if (el.name === 'address') {
    return links.flatMap(({ text: raw, href }) => {
      const name = cleanName(raw);
      return name ? [withLink({ name }, href, baseUrl)] : [];
    });
  }
  return bylineNames(text, 'marked').map((name) => {
    const link = links.find((l) => cleanName(l.text) === name);
    return withLink({ name }, link?.href, baseUrl);
  });
}

function withLink(author: Author, href: string | undefined, baseUrl: string): Author {
  if (href === undefined) return author;
  const email = mailtoAddress(href);
  if (email) return { ...author, email };
  const url = authorUrl(href, baseUrl);
  return url ? { ...author, url } : author;
}

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
    replaceWith(node, []);
    return;
  }
}

// Elements that end a line within a byline: "By Jane Doe<br>Reuters" is two lines, not "DoeReuters".
const BREAKS = new Set(['br', 'p', 'div', 'li', 'time', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * The text so far, with a line break if `el` ends a line: a block or a <br> does, and so does an
 * element set flush against the text before it, as pages lay out a name and a job title in two spans.
 */
function withBreak(text: string, el: Element): string {
  const flush = text !== '' && !/\s/.test(text.charAt(text.length - 1));
  return BREAKS.has(el.name) || (flush && el.name === 'span') ? `${text}\n` : text;
}

/** The text of a short element with its line breaks, or undefined past LEADING_TEXT_MAX or 40 nodes. */
function lineText(node: Element): string | undefined {
  let text = '';
  const pending: AnyNode[] = [node];
  for (let current = pending.pop(), seen = 0; current; current = pending.pop(), seen++) {
    if (seen > 40) return undefined;
    if (isText(current)) {
      text += current.data;
      if (text.length > LEADING_TEXT_MAX) return undefined;
    } else if (isTag(current)) {
      text = withBreak(text, current);
      pushChildren(pending, current);
    }
  }
  return text;
}

/** The links of a short line (already bounded by the caller's look at its text). */
function linksIn(node: Element): Named[] {
  const links: Named[] = [];
  const pending: AnyNode[] = [node];
  for (let current = pending.pop(), seen = 0; current && seen < 40; current = pending.pop(), seen++) {
    if (!isTag(current)) continue;
    if (current.name === 'a' && current.attribs.href) {
      links.push({ text: shortTextOf(current, LEADING_TEXT_MAX, 20) ?? '', href: current.attribs.href });
    } else pushChildren(pending, current);
  }
  return links;
}

function pushChildren(pending: AnyNode[], parent: ParentNode): void {
  for (let i = parent.children.length - 1; i >= 0; i--) {
    const child = parent.children[i];
    if (child) pending.push(child);
  }
}

export { AUTHOR_LIMITS };
