// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF) and lone surrogate halves:
// readers reject a whole feed for one of them, so they never leave the core.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

/** Plain text as people read it: one space between words, none at the ends. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00A0\u3000]+/g, ' ').trim();
}

/** Cut at a word (or, for scripts without spaces, a character) boundary, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters tells binary from text.
const BINARY_CONTROLS = /[\u0000-\u0008\u000E-\u001F]/g;

/** Text with more than a few stray control characters is a binary file that happened to decode. */
export function looksBinary(text: string): boolean {
  const controls = text.match(BINARY_CONTROLS)?.length ?? 0;
  return controls > 8 && controls > text.length / 100;
}

// What Windows-1252 means by the bytes 0x80–0x9F. Text saved as Windows-1252 and read as Latin-1 (or
// pasted from Word) carries them as C1 controls, which readers drop and validators flag; the five
// bytes Windows-1252 leaves undefined mean nothing and go.
const WINDOWS_1252 = '€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ'
  .split('')
  .map((c) => (c === '\u0000' ? '' : c));

/** C1 controls (U+0080–U+009F) as the Windows-1252 characters they stand for. */
export function fromWindows1252Controls(text: string): string {
  return /[\u0080-\u009f]/.test(text)
    ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252[c.charCodeAt(0) - 0x80] ?? '')
    : text;
}

/**
 * Order of UTF-16 code units, for sorting machine strings (ISO dates, ids). `localeCompare` gives the
 * same order for them but builds an ICU collator on first use: 10–13 ms of every cold start.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
