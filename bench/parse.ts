import type { Item } from '../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { BASE_STAMP, generateSeed } from './corpus.js';
import { benchConfig, REAL_SEED_NAME, realSeed } from './settings.js';
import { type Summary, summarize } from './stats.js';

export interface ParseResult {
  real: Summary & { bytes: number };
  corpus: Summary & { seeds: number; medianBytes: number; languages: Record<string, number> };
  /** Corpus seeds by size: cost should follow bytes, not jump with language. */
  perKb: { zh: number; en: number; ar: number };
}

const UPLOADED = new Date(BASE_STAMP);

/** Parse + clean of each seed alone, as the handler does it; the items are handed on to the render bench. */
export function benchParse(seeds: number, realRuns: number): { result: ParseResult; items: Item[] } {
  const config = benchConfig();
  const options = { defaultLanguage: config.language, maxBytes: config.maxSeedBytes };
  const real = realSeed();
  const parse = (file: string, bytes: Uint8Array): { item: Item; ms: number } => {
    const started = performance.now();
    const item = parseSeed({ file, bytes, uploadedAt: UPLOADED }, options);
    return { item, ms: performance.now() - started };
  };

  // The first calls compile cheerio and the cleaner: a warm function has done that already.
  for (let i = 0; i < 30; i++) parse(REAL_SEED_NAME, real);
  const realTimes = Array.from({ length: realRuns }, () => parse(REAL_SEED_NAME, real).ms);

  const corpus = Array.from({ length: seeds }, (_, i) => generateSeed(i, BASE_STAMP - i * 60_000));
  const times: number[] = [];
  const sizes: number[] = [];
  const items: Item[] = [];
  const languages: Record<string, number> = {};
  const perKb = { zh: [] as number[], en: [] as number[], ar: [] as number[] };
  for (const seed of corpus) {
    const bytes = new TextEncoder().encode(seed.text);
    const { item, ms } = parse(seed.name, bytes);
    times.push(ms);
    sizes.push(bytes.byteLength);
    items.push(item);
    languages[item.language] = (languages[item.language] ?? 0) + 1;
    perKb[seed.language].push(ms / (bytes.byteLength / 1024));
  }
  const sortedSizes = [...sizes].sort((a, b) => a - b);
  const mid = (values: number[]) => (values.length ? summarize(values).median : 0);
  return {
    result: {
      real: { ...summarize(realTimes), bytes: real.byteLength },
      corpus: {
        ...summarize(times),
        seeds,
        medianBytes: sortedSizes[Math.floor(sortedSizes.length / 2)] ?? 0,
        languages,
      },
      perKb: { zh: mid(perKb.zh), en: mid(perKb.en), ar: mid(perKb.ar) },
    },
    items,
  };
}
