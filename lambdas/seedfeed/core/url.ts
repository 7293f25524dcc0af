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
