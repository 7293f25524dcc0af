import { SaxesParser } from 'saxes';
import { AUTHOR_LIMITS, authorProblem } from '../core/author.js';
import type { Item } from '../core/item.js';

export const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
} as const;

/**
 * A strict XML 1.0 + namespaces check (saxes rejects what lenient validators let through: control
 * characters, `<` or a bare `&` in attributes, a stray `]]>`, unbound prefixes). Returns the first
 * problem, or undefined when the text is well-formed.
 */
export function xmlProblem(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  return problem;
}

// What a CDATA section may not hold: characters outside XML 1.0's Char (§2.2), as lone surrogates, and
// the `]]>` that would end it.
const CDATA_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\]\]>/;

/**
 * Whether `text` may stand as the whole content of a CDATA section: the check saxes would make of it
 * there, as one regular expression. A section's content is opaque to the rest of the document, so a
 * fragment whose CDATA placeholder passes the parser, with this text in the placeholder's place, is
 * as well-formed as the parser would find the whole (tests/unit/render-check.test.ts compares the two).
 */
export function cdataProblem(text: string): string | undefined {
  const found = CDATA_ILLEGAL.exec(text);
  if (!found) return undefined;
  const what = found[0] === ']]>' ? '"]]>"' : `U+${found[0].charCodeAt(0).toString(16).toUpperCase()}`;
  return `CDATA text holds ${what} at ${found.index}`;
}

/** A fragment is checked inside a root that binds every prefix a feed may use. */
export function fragmentProblem(fragment: string, defaultNamespace?: string): string | undefined {
  return xmlProblem(`${checkRoot(defaultNamespace)}${fragment}</check>`);
}

function checkRoot(defaultNamespace: string | undefined): string {
  const bindings = Object.entries(NAMESPACES)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  const xmlns = defaultNamespace ? ` xmlns="${defaultNamespace}"` : '';
  return `<check${xmlns}${bindings}>`;
}

/**
 * fragmentProblem for many fragments in one parse, each of them one element (as every item's is):
 * undefined only when each would pass alone. The whole passing is not enough, since one fragment
 * could open what the next closes; so each top-level element must close exactly where its fragment
 * ends. Says only that some fragment fails: fragmentProblem then tells which, and why.
 */
export function fragmentsProblem(
  fragments: readonly string[],
  defaultNamespace?: string,
): string | undefined {
  const root = checkRoot(defaultNamespace);
  const ends: number[] = [];
  let at = root.length;
  for (const fragment of fragments) {
    ends.push(at + fragment.length);
    at += fragment.length + 1;
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | undefined;
  let depth = 0;
  let closed = 0;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.on('opentag', () => {
    depth++;
  });
  parser.on('closetag', () => {
    if (depth === 2 && parser.position !== ends[closed++]) problem ??= 'a fragment is not one element';
    depth--;
  });
  try {
    parser.write(`${root}${fragments.join('\n')}</check>`).close();
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  return problem ?? (closed === fragments.length ? undefined : 'a fragment is not one element');
}

// BCP 47 in the shape the parser writes (`zh-CN`, `sr-Latn`); anything else is not from it.
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * What every format needs of an item; the parser guarantees it, this guards the renderers' input (a
 * record read back from storage may hold anything: see publish/entry.ts).
 */
export function itemProblem(item: Item): string | undefined {
  if (!item.title.trim()) return 'item has no title';
  if (!/^https?:\/\//.test(item.link)) return `item link "${item.link}" is not absolute http(s)`;
  if (!item.id.startsWith('urn:uuid:')) return `item id "${item.id}" is not a urn:uuid`;
  if (Number.isNaN(Date.parse(item.published))) return `item date "${item.published}" is not a date`;
  if (item.image !== undefined && !/^https?:\/\//.test(item.image)) {
    return `item image "${item.image}" is not absolute http(s)`;
  }
  if (!LANGUAGE.test(item.language)) return `item language "${item.language}" is not a language tag`;
  return authorsProblem(item.authors);
}

/** The parser's limits on bylines, held to again: a forged record's authors render as text and links. */
function authorsProblem(authors: Item['authors']): string | undefined {
  if (authors === undefined) return undefined;
  if (authors.length > AUTHOR_LIMITS.count)
    return `item has ${authors.length} authors, over ${AUTHOR_LIMITS.count}`;
  for (const author of authors) {
    const problem = authorProblem(author);
    if (problem) return `item ${problem}`;
  }
  return undefined;
}
