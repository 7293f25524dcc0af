import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Embedded, type EmbeddedOptions, startEmbedded } from '../local/embedded.js';

/** The local pipeline of `npm start` (s3rver + queue + handler, one process) in a temporary folder. */
export async function withPipeline<T>(
  options: Omit<EmbeddedOptions, 'directory' | 'port'>,
  work: (embedded: Embedded) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-bench-'));
  let embedded: Embedded | undefined;
  try {
    embedded = await startEmbedded({ ...options, directory, port: 0 });
    return await work(embedded);
  } finally {
    await embedded?.close();
    await rm(directory, { recursive: true, force: true });
  }
}

export const SEED_TYPE = { contentType: 'text/plain; charset=utf-8' };
