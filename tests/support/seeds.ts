import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REAL_SEED_FILE = '000_d08b8e282d2a28a0.txt';

export function realSeed(): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../seeds/${REAL_SEED_FILE}`, import.meta.url)));
}

export interface SeedParts {
  stamp?: string | number | undefined;
  title?: string;
  url?: string;
  rule?: string;
  body?: string;
  newline?: string;
}

let counter = 0;

/** A fresh seed text per call; every part can be overridden or (with undefined stamp) left out. */
export function makeSeed(parts: SeedParts = {}): string {
  counter++;
  const n = parts.newline ?? '\n';
  const stamp = 'stamp' in parts ? parts.stamp : 1_706_696_101_000 + counter * 60_000;
  const title = parts.title ?? `Article ${counter}`;
  const url = parts.url ?? `https://news.example.com/world/article-${counter}`;
  const body =
    parts.body ??
    `<div>01/02/2024 - 09:30</div><p><strong>Lead of article ${counter}.</strong></p><div><p>Body of article ${counter}.</p></div>`;
  const lines = [
    ...(stamp === undefined ? [] : [`<!--${stamp}-->`]),
    `[${title}](${url})`,
    parts.rule ?? '------',
    '',
    body,
  ];
  return lines.join(n) + n;
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
