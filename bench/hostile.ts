import { SeedError } from '../lambdas/seedfeed/core/errors.js';
import { parseSeed, type SeedOptions } from '../lambdas/seedfeed/core/seed.js';
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
  /**
   * CPU against the normal article's, the median over pairs of samples taken one right after the
   * other: a neighbour that slows the machine for a while slows both halves of a pair.
   */
  ratio: number;
}

export interface HostileSize {
  bytes: number;
  normal: { wallMs: number; cpuMs: number };
  shapes: HostileShape[];
  /** The shape with the highest paired CPU ratio to the normal article, and that ratio. */
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
  // The first parses compile the parser and the cleaner: a warm function has done that already.
  for (let i = 0; i < 5; i++) {
    sampler(options, 'warm-up', normalArticle(32 * 1_024));
    for (const shape of SHAPES) sampler(options, 'warm-up', shape.build(32 * 1_024));
  }
  return sizes.map((size) => {
    const normal = sampler(options, 'normal', normalArticle(size));
    const normalSamples = Array.from({ length: runs }, () => normal.sample());
    const shapes = SHAPES.map((shape): HostileShape => {
      const one = sampler(options, shape.name, shape.build(size));
      const pairs = Array.from({ length: runs }, () => {
        const beside = normal.sample();
        const sample = one.sample();
        return { ...sample, ratio: sample.cpuMs / beside.cpuMs };
      });
      return {
        name: shape.name,
        bytes: one.bytes,
        wallMs: median(pairs.map((p) => p.wallMs)),
        cpuMs: median(pairs.map((p) => p.cpuMs)),
        outcome: one.outcome,
        ratio: median(pairs.map((p) => p.ratio)),
      };
    });
    const worst = shapes.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    return {
      bytes: size,
      normal: {
        wallMs: median(normalSamples.map((p) => p.wallMs)),
        cpuMs: median(normalSamples.map((p) => p.cpuMs)),
      },
      shapes,
      worst,
      ratio: worst.ratio,
    };
  });
}

interface Sampler {
  bytes: number;
  outcome: 'item' | 'rejected';
  /** One sample: per parse, wall-clock and this thread's CPU. */
  sample(): { wallMs: number; cpuMs: number };
}

/** Parses of one seed, timed in samples long enough for the thread's CPU clock (it ticks every 4 ms). */
function sampler(options: SeedOptions, name: string, text: string): Sampler {
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
  const reps = Math.max(1, Math.ceil(40 / (performance.now() - first)));
  return {
    bytes: bytes.byteLength,
    outcome,
    sample() {
      const cpuBefore = threadCpuMs() ?? 0;
      const started = performance.now();
      for (let r = 0; r < reps; r++) parse();
      return {
        wallMs: (performance.now() - started) / reps,
        cpuMs: ((threadCpuMs() ?? Number.NaN) - cpuBefore) / reps,
      };
    },
  };
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
