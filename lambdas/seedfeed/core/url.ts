/**
 * An absolute URL for `raw` as a browser would resolve it on the article page, or undefined when it is
 * unusable or its scheme is not allowed (javascript:, data:, vbscript: and the like never pass).
 */
export function absoluteUrl(raw: string, base: string, schemes: readonly string[]): string | undefined {
  // Browsers ignore tabs and newlines inside URLs; attackers use them to hide "java\tscript:".
  const cleaned = raw.replace(/[\t\n\r]/g, '').trim();
  if (!cleaned) return undefined;
  // Protocol-relative URLs would inherit http: from some readers; the web is https now.
  const withScheme = cleaned.startsWith('//') ? `https:${cleaned}` : cleaned;
  try {
    const url = new URL(withScheme, base);
    return schemes.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host of an absolute http(s) URL as absoluteUrl writes it (lower case, no port), found without
 * parsing it again: the cleaner asks for hosts of every link and image, and a parse costs microseconds.
 */
export function hostOf(url: string): string {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start < 0) return '';
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    // "/", ":", "?", "#" end the host; "@" means what came before was user info.
    if (c === 0x2f || c === 0x3a || c === 0x3f || c === 0x23 || c === 0x40) break;
    end++;
  }
  if (url.charCodeAt(end) === 0x40) {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  }
  return url.slice(start, end).toLowerCase();
}
