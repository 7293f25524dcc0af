import { readFile, stat } from 'node:fs/promises';
import { SeedError } from '../lambdas/seedfeed/core/errors.js';
import { parseSeed, type SeedOptions } from '../lambdas/seedfeed/core/seed.js';
import { describeError } from './errors.js';

export type Verdict =
  | { file: string; valid: true; title: string; link: string; published: string; language: string }
  | { file: string; valid: false; problem: string };

export interface LocalSeed {
  bytes: Buffer;
  /** The file's mtime stands in for the upload time, the publish date of last resort. */
  uploadedAt: Date;
}

export async function readSeed(path: string): Promise<LocalSeed> {
  const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
  return { bytes, uploadedAt: info.mtime };
}

/** parseSeed exactly as the Lambda calls it; anything but a SeedError is a bug and propagates. */
export function judgeSeed(path: string, seed: LocalSeed, options: SeedOptions): Verdict {
  try {
    const item = parseSeed({ file: path, bytes: seed.bytes, uploadedAt: seed.uploadedAt }, options);
    const { title, link, published, language } = item;
    return { file: path, valid: true, title, link, published, language };
  } catch (error) {
    if (error instanceof SeedError) return { file: path, valid: false, problem: error.problem };
    throw error;
  }
}

/** A file that cannot be read is rejected like a bad seed: either way it would never publish. */
export async function checkSeed(path: string, options: SeedOptions): Promise<Verdict> {
  let seed: LocalSeed;
  try {
    seed = await readSeed(path);
  } catch (error) {
    return { file: path, valid: false, problem: `cannot read it: ${describeError(error)}` };
  }
  return judgeSeed(path, seed, options);
}
