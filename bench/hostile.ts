import { SeedError } from '../lambdas/seedfeed/core/errors.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { SHAPES } from '../tests/property/shapes.js';
import { BASE_STAMP, generateSeed } from './corpus.js';
import { benchConfig } from './settings.js';
import { median, threadCpuMs } from './stats.js';

export interface HostileShape {
  name: string;
  bytes: number;
  /** Per parse, medians of the samples: wall-clock and this thread's CPU (the machine is shared). */
  wallMs: number;
  cpuMs: number;
  outcome: 'item' | 'rejected';
}

export interface HostileSize {
  bytes: number;
  normal: { wallMs: number; cpuMs: number };
  shapes: HostileShape[];
  /** The shape that took the most CPU, and its CPU against the normal article's. */
  worst: HostileShape;
  ratio: number;
}

const UPLOADED = new Date(BASE_STAMP);

/**
 * Parse + clean of every pathological shape (tests/property/shapes.ts) at each size, next to a normal
 * article of the same size: generated RFI-like bodies joined until the size is reached.
 */
export function benchHostile(sizes: readonly number[], runs: number): HostileSize[] {
  const config = benchConfig();
  const options = { defaultLanguage: config.language, maxBytes: config.maxSeedBytes };
  const measureOnce = (text: string) => measure('warm-up', text, 0);
  const measure = (name: string, text: string, repeat = runs): HostileShape => {
    const bytes = new TextEncoder().encode(text);
    const parse = (): 'item' | 'rejected' => {
      try {
        parseSeed({ file: `seeds/${name}`, bytes, uploadedAt: UPLOADED }, options);
        return 'item';
      } catch (error) {
        if (error instanceof SeedError) return 'rejected';
        throw error;
      }
    };
    const first = performance.now();
    const outcome = parse(); // warm-up, and the outcome
    // The thread's CPU clock ticks every 4 ms: each sample repeats the parse for 40 ms or more.
    const reps = Math.max(1, Math.ceil(40 / (performance.now() - first)));
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const cpuBefore = threadCpuMs() ?? 0;
      const started = performance.now();
      for (let r = 0; r < reps; r++) parse();
      wall.push((performance.now() - started) / reps);
      cpu.push(((threadCpuMs() ?? Number.NaN) - cpuBefore) / reps);
    }
    const mid = (values: number[]) => (values.length ? median(values) : 0);
    return { name, bytes: bytes.byteLength, wallMs: mid(wall), cpuMs: mid(cpu), outcome };
  };
  // The first parses compile the parser and the cleaner: a warm function has done that already.
  for (let i = 0; i < 5; i++) {
    measureOnce(normalArticle(32 * 1_024));
    for (const shape of SHAPES) measureOnce(shape.build(32 * 1_024));
  }
  return sizes.map((size) => {
    const normal = measure('normal', normalArticle(size));
    const shapes = SHAPES.map((shape) => measure(shape.name, shape.build(size)));
    const worst = shapes.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    return {
      bytes: size,
      normal: { wallMs: normal.wallMs, cpuMs: normal.cpuMs },
      shapes,
      worst,
      ratio: worst.cpuMs / normal.cpuMs,
    };
  });
}

/** The generated corpus's bodies, one after another under one heading, up to `bytes`. */
export function normalArticle(bytes: number): string {
  const first = generateSeed(0, BASE_STAMP).text;
  const head = first.slice(0, first.indexOf('------\n\n') + 8);
  const parts = [head];
  let size = Buffer.byteLength(head);
  for (let i = 0; ; i++) {
    const text = generateSeed(i, BASE_STAMP).text;
    const body = text.slice(text.indexOf('------\n\n') + 8);
    const length = Buffer.byteLength(body);
    if (size + length > bytes) break;
    parts.push(body);
    size += length;
  }
  return parts.join('');
}
