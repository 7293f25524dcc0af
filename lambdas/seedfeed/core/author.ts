import { textOf } from './dom.js';
import { parseHtml } from './html.js';
import type { Author } from './item.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';
import { absoluteUrl } from './url.js';

// Names as bylines write them: "By Jane Doe and John Roe, Reuters". Everything here reads short strings
// (a byline is looked at within a bound, see byline.ts), with expressions that cannot backtrack.

/** What one item may carry: more or longer than this is not a byline. */
export const AUTHOR_LIMITS = { count: 10, name: 120, url: 2_048, email: 254 } as const;

// The words a byline starts with. English always; the others only where the line stands alone in its
// own element (the callers see to that) and only before two words or more ("Di Stefano" is a name).
const ENGLISH_BY = /^(?:(?:written|words|reporting|report|text) )?by(?: ?: ?| )/i;
const OTHER_BY = /^(?:por|par|von|di|door|av|af|автор(?:ы)?|текст|بقلم|מאת)(?: ?: ?| )/i;
// Longer than this is no byline, whatever it says: the expressions below then see short strings only.
const TEXT_MAX = 1_000;
// What sits between the names of a list; lower case only, so an initial ("Jane E Doe") is never one.
const CONJUNCTION = /\s+(?:and|AND|und|et|y|e|en|och|og|и|і)\s+|\s*&\s*/;
// What ends a byline's names within a line: the date or the place after a bar, a dot, a dash.
const SEPARATOR = /\s+[|·•—–]\s+|\n/;
// Lower-case words a name may hold: "Ursula von der Leyen", "Ibn al-Haytham".
const PARTICLES = new Set(
  'von van der den de del della dos das da di du la le bin bint ibn al el ter ten zu af y e'.split(' '),
);
// Words that may follow a name after its comma: "Reuters", "in Kyiv", "for The Guardian".
const TAIL_WORDS = new Set('in for at of the and from with on staff'.split(' '));
const WORD = /^\p{L}[\p{L}\p{M}'’.-]*$/u;
const EMAIL = /^[^\s@<>()"',;:\\[\]]+@[^\s@<>()"',;:\\[\]]+\.[^\s@<>()"',;:\\[\].]+$/;

/**
 * How sure the caller is that the text is a byline: `line` is a leading line with no markup (it must
 * start with "By …" and hold names of two words or more), `marked` the text of an element marked as a
 * byline (names of one word will do). The text of an element marked as a name is taken whole
 * (cleanName).
 */
export type Certainty = 'line' | 'marked';

/** The names a byline text holds, or [] when it is not one (one unlikely name spoils the line). */
export function bylineNames(text: string, certainty: Certainty, known: readonly string[] = []): string[] {
  if (text.length > TEXT_MAX) return [];
  const segments = text.split(SEPARATOR).map(collapseWhitespace).filter(Boolean);
  // Where one segment starts with "By", only such segments are bylines ("By Jane Doe" | "Political
  // Correspondent"); otherwise every segment is a name list (a list of authors, one a line).
  const prefixed = segments.filter((segment) => withoutPrefix(segment) !== segment);
  // A line with no markup is a byline only when it starts with "By …".
  if (certainty === 'line' && (!segments[0] || prefixed[0] !== segments[0])) return [];
  const chosen = certainty === 'line' ? segments.slice(0, 1) : prefixed.length ? prefixed : segments;
  const names: string[] = [];
  for (const segment of chosen) {
    const { heads, tail } = splitList(withoutPrefix(segment));
    if (certainty === 'line' && !tail.every(isTailWord)) return [];
    for (const head of heads) {
      const minWords = certainty === 'line' && !known.includes(head) ? 2 : 1;
      if (!looksLikeName(head, minWords)) return [];
      names.push(head);
    }
  }
  return names;
}

/** "A, B and C, Reuters" → heads A, B, C and the tail "Reuters"; without "and", the first part alone. */
function splitList(text: string): { heads: string[]; tail: string[] } {
  const parts = text.split(/\s*[,;]\s*/);
  const last = parts.findIndex((part) => CONJUNCTION.test(part));
  const nameParts = last < 0 ? parts.slice(0, 1) : parts.slice(0, last + 1);
  const heads = nameParts
    .flatMap((part) => part.split(CONJUNCTION))
    .map((name) => trimPunctuation(name))
    .filter(Boolean);
  const tail = parts.slice(nameParts.length).flatMap((part) => part.split(' '));
  return { heads, tail: tail.map((word) => trimPunctuation(word)).filter(Boolean) };
}

function isTailWord(word: string): boolean {
  return /^\d+$/.test(word) || TAIL_WORDS.has(word) || (WORD.test(word) && isCapital(word));
}

/** The text after its "By": before one word still a byline ("By Reuters"), other languages' need two. */
function withoutPrefix(text: string): string {
  const english = ENGLISH_BY.exec(text);
  if (english) return text.slice(english[0].length);
  const other = OTHER_BY.exec(text);
  const rest = other ? text.slice(other[0].length) : text;
  return rest.includes(' ') ? rest : text;
}

/** Whether `name` reads as a person's or an agency's name: a few words, each capitalised or a particle. */
export function looksLikeName(name: string, minWords = 1): boolean {
  if (name.length > AUTHOR_LIMITS.name) return false;
  const words = name.split(' ');
  if (words.length < minWords || words.length > 6) return false;
  return words.every((word) => WORD.test(word) && (isCapital(word) || PARTICLES.has(word)));
}

/** Upper case first, or a script without case (Arabic, Chinese…). */
function isCapital(word: string): boolean {
  const first = word.charAt(0);
  return first === first.toUpperCase();
}

const EDGE = new Set([...' \t\n,;:|·•—–-']);

/** Separators and spaces off both ends, by a scan: `/[…]+$/` costs the square of a long run. */
function trimPunctuation(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE.has(text.charAt(start))) start++;
  while (end > start && EDGE.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** A name as an element marked as one holds it: "More by Jane Doe" → Jane Doe; undefined when none. */
export function cleanName(raw: string): string | undefined {
  if (raw.length > TEXT_MAX) return undefined;
  let name = collapseWhitespace(raw);
  const by = name.toLowerCase().lastIndexOf(' by ');
  if (by >= 0 && by < 40) name = name.slice(by + 4);
  name = trimPunctuation(withoutPrefix(name));
  if (!name || name.length > AUTHOR_LIMITS.name || /[<>]/.test(name)) return undefined;
  if (!/\p{L}/u.test(name) || name.startsWith('@') || name.includes('://') || /^www\./i.test(name)) {
    return undefined;
  }
  return name;
}

/** An author's page as an absolute http(s) URL of sane length, against the article's link. */
export function authorUrl(href: string, base: string): string | undefined {
  const url = absoluteUrl(href, base, ['http:', 'https:']);
  return url && url.length <= AUTHOR_LIMITS.url ? url : undefined;
}

/** The address of a `mailto:` link, when it is one plain address. */
export function mailtoAddress(href: string): string | undefined {
  const trimmed = href.trim();
  if (!/^mailto:/i.test(trimmed)) return undefined;
  let address: string;
  try {
    address = decodeURIComponent(trimmed.slice(7).split('?')[0] ?? '');
  } catch {
    return undefined;
  }
  return isEmail(address) ? address : undefined;
}

export function isEmail(text: string): boolean {
  return text.length <= AUTHOR_LIMITS.email && EMAIL.test(text);
}

/**
 * Why an author may not be rendered, or undefined: what the parser writes, checked again for records
 * read back from storage (render/check.ts). Text only, http(s) pages, sane lengths.
 */
export function authorProblem(author: Author): string | undefined {
  const { name, url, email } = author;
  if (!name || name !== collapseWhitespace(name) || name.length > AUTHOR_LIMITS.name || /[<>]/.test(name)) {
    return `author name "${name.slice(0, 80)}" is not a short plain-text name`;
  }
  if (url !== undefined && !(url.length <= AUTHOR_LIMITS.url && authorUrl(url, url) === url)) {
    return `author url "${url.slice(0, 80)}" is not an absolute http(s) URL`;
  }
  if (email !== undefined && !isEmail(email)) return `author email "${email.slice(0, 80)}" is not an address`;
  return undefined;
}

/** Authors in their order, each name once (as people read it: case aside), at most AUTHOR_LIMITS.count. */
export function mergeAuthors(into: Author[], more: readonly Author[]): void {
  for (const author of more) {
    if (into.length >= AUTHOR_LIMITS.count) return;
    const key = author.name.normalize('NFKC').toLowerCase();
    const same = into.find((known) => known.name.normalize('NFKC').toLowerCase() === key);
    if (!same) into.push({ ...author });
    else {
      if (same.url === undefined && author.url !== undefined) same.url = author.url;
      if (same.email === undefined && author.email !== undefined) same.email = author.email;
    }
  }
}

/** The value of a seed header's author comment, `<!--author: …-->`; undefined for any other comment. */
export function authorComment(comment: string): string | undefined {
  return /^author\s*:/i.test(comment) ? comment.slice(comment.indexOf(':') + 1).trim() : undefined;
}

/**
 * A seed header's author, written as npm writes people: `Jane Doe <jane@example.org> (https://…)`,
 * the address and the page each optional (`Jane Doe <https://…>` gives the page). What is wrong, else.
 */
export function parseAuthorLine(value: string): Author | string {
  let rest = value.trim();
  let url: string | undefined;
  let email: string | undefined;
  const take = (close: string, open: string): string | undefined => {
    if (!rest.endsWith(close)) return undefined;
    const at = rest.lastIndexOf(open);
    if (at < 0) return undefined;
    const inner = rest.slice(at + 1, -1).trim();
    rest = rest.slice(0, at).trim();
    return inner;
  };
  const page = take(')', '(');
  if (page !== undefined) url = page;
  const angled = take('>', '<');
  if (angled !== undefined) {
    if (isEmail(angled)) email = angled;
    else if (url === undefined) url = angled;
    else return `"${angled.slice(0, 80)}" is not an e-mail address`;
  }
  if (/[<>()]/.test(rest)) return `the author "${rest.slice(0, 80)}" is not Name <e-mail> (https://…)`;
  // Read as the title is: entities mean their characters ("Zoë &amp; Co" → Zoë & Co).
  const name = collapseWhitespace(stripXmlIllegal(textOf(parseHtml(rest))));
  if (!name) return 'the author has no name';
  if (name.length > AUTHOR_LIMITS.name) return `the author's name is over ${AUTHOR_LIMITS.name} characters`;
  if (/[<>]/.test(name)) return `the author "${name.slice(0, 80)}" is not a plain-text name`;
  let checked: string | undefined;
  if (url !== undefined) {
    checked = /^https?:\/\//i.test(url) ? authorUrl(url, url) : undefined;
    if (!checked) return `the author's page "${url.slice(0, 80)}" is not an absolute http(s) URL`;
  }
  return { name, ...(checked ? { url: checked } : {}), ...(email ? { email } : {}) };
}
