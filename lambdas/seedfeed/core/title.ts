import { Marked } from 'marked';
import { textOf } from './dom.js';
import { parseHtml } from './html.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';

// Titles are written as the text of a Markdown link, so their inline Markdown is rendered and read
// back as text: emphasis markers go, a code span's text stays verbatim (`LazyCell<T>`), escapes and
// entities resolve, HTML tags are dropped. No new expressions of our own: marked parses, htmlparser2
// reads the result.
const markdown = new Marked({ async: false, gfm: true });

// marked is neither linear nor cheap on every input (a title of 1 MB of `_a` took it 1.8 s even cut
// into windows: each call costs a fixed 0.1–0.2 ms and runs of delimiters more). Real titles are
// under 300 characters, so Markdown is read in the first MARKDOWN_MAX of them, cut at a space or
// after a tag near there; the rest of a longer title is read as HTML text, as every title was before.
export const MARKDOWN_MAX = 2_048;
// Without any of these a title holds no inline Markdown; its tags and references are read by the HTML parse.
const MARKDOWN = /[*_`~[\\]/;

/** The plain text of a title's inline Markdown. */
export function titleText(source: string): string {
  const end = source.length > MARKDOWN_MAX ? cutNear(source, MARKDOWN_MAX) : source.length;
  const head = source.slice(0, end);
  const html = MARKDOWN.test(head) ? markdown.parseInline(head, { async: false }) : head;
  // One parse of the whole: HTML_LIMITS count the title as one piece, as they count the body.
  return collapseWhitespace(stripXmlIllegal(textOf(parseHtml(html + source.slice(end)))));
}

/** Where to end the Markdown part: at a space, else after a tag, in the last quarter before `end`. */
function cutNear(source: string, end: number): number {
  // A bounded look back: a title without spaces costs no more than one with them.
  let tag = -1;
  for (let at = end; at > end - MARKDOWN_MAX / 4; at--) {
    const c = source.charCodeAt(at);
    if (c === 0x20) return at;
    if (tag < 0 && source.charCodeAt(at - 1) === 0x3e) tag = at;
  }
  return tag > 0 ? tag : end;
}
