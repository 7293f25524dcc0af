import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { keyFor, listSeedFiles } from '../../cli/seed-files.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));

/** What `npm start` publishes on a first run: seeds/ (the real seed and the demo) with category feeds. */
export async function startDemo(): Promise<TestPipeline> {
  const pipeline = await startPipeline({
    SEEDFEED_FEED_TITLE: 'seedfeed demo',
    SEEDFEED_FEED_DESCRIPTION: 'Articles published from seeds/ by the same handler that runs on AWS Lambda',
    SEEDFEED_CATEGORY_FEEDS: 'true',
  });
  const seeds: Record<string, Buffer> = {};
  for (const file of await listSeedFiles(SEEDS)) seeds[keyFor(SEEDS, file, '')] = await readFile(file);
  await pipeline.publish(seeds);
  return pipeline;
}
