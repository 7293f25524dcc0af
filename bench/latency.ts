import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import { BASE_STAMP, generateSeed } from './corpus.js';
import { SEED_TYPE, withPipeline } from './pipeline.js';
import { type Summary, sleep, summarize } from './stats.js';

export interface LatencyResult extends Summary {
  batchWindowMs: number;
  pollMs: number;
  published: number;
}

export class LatencyTimeoutError extends Error {
  override readonly name = 'LatencyTimeoutError';
}

const POLL_MS = 2;
const DEADLINE_MS = 15_000;

/**
 * Upload → the new item readable in rss.xml over HTTP, as a reader polling the public URL would see
 * it. The poller sends If-None-Match, so an unchanged feed costs a 304, not a full download that
 * would compete with the handler for the one event loop they share here.
 */
export async function benchLatency(
  uploads: number,
  batchWindowMs: number,
  prefill = 50,
): Promise<LatencyResult> {
  return withPipeline({ queue: { batchWindowMs } }, async (embedded) => {
    const { config } = embedded;
    const put = (seed: ReturnType<typeof generateSeed>) =>
      embedded.seeds.put(`${config.seedsPrefix}${seed.name}`, seed.text, SEED_TYPE);
    // A full feed first: the steady state, where each upload pushes the oldest item out.
    await eachLimited(
      Array.from({ length: prefill }, (_, i) => i),
      8,
      (i) => put(generateSeed(i, BASE_STAMP - (i + 1) * 60_000)).then(() => undefined),
    );
    await embedded.queue.idle();

    const rss = new URL('rss.xml', config.publicUrl);
    const times: number[] = [];
    for (let i = 0; i < uploads; i++) {
      const seed = generateSeed(3_000_000 + i, BASE_STAMP + (i + 1) * 60_000);
      const { id } = parseSeed(
        { file: seed.name, bytes: new TextEncoder().encode(seed.text), uploadedAt: new Date() },
        { defaultLanguage: config.language, maxBytes: config.maxSeedBytes },
      );
      let etag = (await fetch(rss, { method: 'HEAD' })).headers.get('etag') ?? '';
      const started = performance.now();
      await put(seed);
      for (;;) {
        if (performance.now() - started > DEADLINE_MS) {
          throw new LatencyTimeoutError(`${seed.name} did not reach rss.xml within ${DEADLINE_MS} ms`);
        }
        const response = await fetch(rss, { headers: etag ? { 'if-none-match': etag } : {} });
        if (response.status === 200) {
          etag = response.headers.get('etag') ?? '';
          if ((await response.text()).includes(id)) break;
        } else await response.arrayBuffer();
        await sleep(POLL_MS);
      }
      times.push(performance.now() - started);
      await embedded.queue.idle();
    }
    return { ...summarize(times), batchWindowMs, pollMs: POLL_MS, published: prefill + uploads };
  });
}
