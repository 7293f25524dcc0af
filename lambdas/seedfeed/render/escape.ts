const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Plain text made safe as HTML or XML text and inside a double-quoted attribute: the one helper for
 * every value written into markup by hand, and for attributes handed to `feed`, whose XML writer
 * (xml-js) escapes only `"` in them.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

/**
 * `text.replace(search, replacement)` with the replacement taken literally: a string replacement
 * reads `$&`, `$'` and `$$` as patterns, so a title "US$$5" would lose a dollar.
 */
export function replaceLiteral(text: string, search: string | RegExp, replacement: string): string {
  return text.replace(search, () => replacement);
}

/** xml-js (inside `feed`) splits only the first `]]>` of a CDATA section; the rest would end it early. */
export function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}
