import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { esbuildOptions } from '../cdk/bundling.js';
import { toEnvironment } from '../lambdas/seedfeed/config.js';
import { FEED_FILES } from '../lambdas/seedfeed/render/settings.js';
import { realSizedSeed } from './corpus.js';
import { ScaleRig } from './requests.js';
import { sqsEventFor } from './s3.js';
import { realSeed } from './settings.js';
import { median } from './stats.js';

export interface FirstUploadResult {
  runs: number;
  published: number;
  /** Median wall time of a fresh `node` process that loads the Lambda bundle and handles one upload. */
  handlerMs: number;
  /** The same for a bundle of the bare S3 client that GETs the seed and PUTs four files of the same sizes. */
  yardstickMs: number;
  /** Median of handler / yardstick over interleaved pairs. */
  ratio: number;
}

export class FirstUploadError extends Error {
  override readonly name = 'FirstUploadError';
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = fileURLToPath(new URL('../lambdas/seedfeed/storage/client.ts', import.meta.url));

const HANDLER_DRIVER = `
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile] = process.argv.slice(1);
const { handler } = await import(pathToFileURL(bundle).href);
const result = await handler(JSON.parse(await readFile(eventFile, 'utf8')));
if (result.batchItemFailures.length > 0) process.exit(3);
`;

// The least an S3-publishing Lambda must do: GET the seed, PUT the four main files. The client is
// seedfeed's own (checksums as s3rver needs them), so only the work around it differs.
const YARDSTICK = `
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from ${JSON.stringify(CLIENT)};
const client = createS3Client({ endpoint: process.env.SEEDFEED_S3_ENDPOINT });
const seed = await client.send(new GetObjectCommand({ Bucket: 'seeds', Key: process.env.SEED_KEY }));
await seed.Body.transformToByteArray();
const sizes = JSON.parse(process.env.SIZES);
await Promise.all(sizes.map((size, i) =>
  client.send(new PutObjectCommand({ Bucket: 'feeds', Key: 'yardstick/' + i, Body: 'x'.repeat(size) }))));
`;

async function bundleTo(outfile: string, contents?: string): Promise<void> {
  const options: BuildOptions = esbuildOptions(outfile);
  if (contents !== undefined) {
    delete options.entryPoints;
    options.stdin = { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'yardstick.ts' };
  }
  await build(options);
}

function runProcess(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('error', (cause) => reject(new FirstUploadError('could not start node', { cause })));
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new FirstUploadError(`a first-upload process failed (${code}): ${errors.slice(0, 500)}`));
    });
  });
}

/**
 * A fresh process's first upload (Lambda's cold start: module load, configuration, clients, warm
 * start, record and render) on a full feed, against s3rver in its own process, paired with the
 * yardstick; each run publishes a new article.
 */
export async function benchFirstUpload(runs: number): Promise<FirstUploadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'seedfeed-bench-first-'));
  const rig = await ScaleRig.start(realSizedSeed(realSeed().toString('utf8')));
  try {
    await rig.grow(100);
    const handlerFile = join(dir, 'index.mjs');
    const yardstickFile = join(dir, 'yardstick.mjs');
    await bundleTo(handlerFile);
    await bundleTo(yardstickFile, YARDSTICK);
    const env = {
      PATH: process.env.PATH ?? '',
      ...toEnvironment({
        seedsBucket: rig.settings.seedsBucket,
        feedsBucket: rig.settings.feedsBucket,
        publicUrl: rig.settings.publicUrl,
      }),
      SEEDFEED_S3_ENDPOINT: rig.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const eventFile = join(dir, 'event.json');
    const pairs: { handler: number; yardstick: number }[] = [];
    // One unmeasured pair first: it warms the page cache for both bundles.
    for (let i = 0; i <= runs; i++) {
      await writeFile(eventFile, JSON.stringify(sqsEventFor('seeds', [await rig.newSeed()])));
      const handler = await runProcess(
        ['--input-type=module', '-e', HANDLER_DRIVER, handlerFile, eventFile],
        env,
      );
      const sizes = await Promise.all(
        [...Object.values(FEED_FILES).map((f) => f.key), 'index.html'].map(
          async (key) => (await (await fetch(new URL(key, rig.settings.publicUrl))).arrayBuffer()).byteLength,
        ),
      );
      const yardstick = await runProcess([yardstickFile], {
        ...env,
        SEED_KEY: await rig.newSeed(),
        SIZES: JSON.stringify(sizes),
      });
      if (i > 0) pairs.push({ handler, yardstick });
    }
    return {
      runs,
      published: rig.published,
      handlerMs: median(pairs.map((p) => p.handler)),
      yardstickMs: median(pairs.map((p) => p.yardstick)),
      ratio: median(pairs.map((p) => p.handler / p.yardstick)),
    };
  } finally {
    await rig.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
