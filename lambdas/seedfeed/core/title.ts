import { Marked } from 'marked';
import { textOf } from './dom.js';
import { parseHtml } from './html.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';

// Titles are written as the text of a Markdown link, so their inline Markdown is rendered and read
// back as text: emphasis markers go, a code span's text stays verbatim (`LazyCell<T>`), escapes and
// entities resolve, HTML tags are dropped. No new expressions of our own: marked parses, htmlparser2
// reads the result.
const markdown = new Marked({ async: false, gfm: true });

// marked's inline rules are not linear on every input (runs of `*a` or `_a` grow about as the square
// of their length), so a title is parsed in windows of at most this many characters, each cut at a
// space or after a tag where one is near: the cost per window is bounded, so a title costs time linear in its length.
// Real titles fit one window; Markdown that spans a cut in a longer one stays literal.
const WINDOW = 512;
const MARKDOWN = /[*_`~[\]<&\\!]/;

/** The plain text of a title's inline Markdown. */
export function titleText(source: string): string {
  const parts: string[] = [];
  for (let at = 0; at < source.length; ) {
    let end = Math.min(source.length, at + WINDOW);
    if (end < source.length) {
      end = cutNear(source, at, end);
    }
    const window = source.slice(at, end);
    // Without those characters a window is its own HTML: nothing in it is markup or a reference.
    parts.push(MARKDOWN.test(window) ? markdown.parseInline(window, { async: false }) : window);
    at = end;
  }
  // One parse of the whole: HTML_LIMITS count the title as one piece, as they count the body.
  return collapseWhitespace(stripXmlIllegal(textOf(parseHtml(parts.join('')))));
}

/** Where to end a window that may end at `end`: at a space, else after a tag, in its second half. */
function cutNear(source: string, start: number, end: number): number {
  const space = source.lastIndexOf(' ', end);
  if (space > start + WINDOW / 2) return space;
  const tag = source.lastIndexOf('>', end - 1) + 1;
  return tag > start + WINDOW / 2 ? tag : end;
}
