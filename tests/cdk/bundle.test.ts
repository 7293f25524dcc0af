import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_METRICS } from '../../cdk/alerts.js';
import { esbuildOptions } from '../../cdk/bundling.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../cdk/publisher.js';
import { type Embedded, startEmbedded } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { readBatch, startCloudFrontApi, verifySigV4 } from '../support/cloudfront-api.js';
import { runNode } from './node-process.js';

const SEED_FILE = fileURLToPath(new URL('../../seeds/000_d08b8e282d2a28a0.txt', import.meta.url));
const SEED_KEY = 'seeds/000_d08b8e282d2a28a0.txt';
const TITLE = '中美禁毒合作工作组称正式启动';

// Imports the bundle exactly as Lambda's ESM loader would, and leaves the answer in a file: the
// function's own JSON logs and metrics own stdout.
const DRIVER = `
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile, resultFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const event = JSON.parse(await readFile(eventFile, 'utf8'));
await writeFile(resultFile, JSON.stringify(await handler(event)));
`;

/** Each metric in the function's Embedded Metric Format lines, as CloudWatch will file it. */
function emittedMetrics(output: string): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{"_aws"')) continue;
    const emf = JSON.parse(line) as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
      [field: string]: unknown;
    };
    for (const { Namespace, Dimensions, Metrics } of emf._aws.CloudWatchMetrics) {
      for (const dimensions of Dimensions) {
        const named = dimensions.map((name) => `${name}=${String(emf[name])}`).join(',');
        for (const { Name } of Metrics) found.add(`${Namespace}/${Name} ${named}`);
      }
    }
  }
  return [...found];
}

/** The largest inputs of the bundle, by the bytes they contribute to it. */
function biggestInputs(metafile: Metafile, count: number): { input: string; kb: number }[] {
  const output = Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'seedfeed (own code)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([input, bytes]) => ({ input, kb: Math.round(bytes / 1024) }));
}

/** The environment the stack gives the function (cdk/publisher.ts), pointed at the embedded server. */
function functionEnv(embedded: Embedded): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    SEEDFEED_SEEDS_BUCKET: 'seeds',
    SEEDFEED_FEEDS_BUCKET: 'feeds',
    SEEDFEED_PUBLIC_URL: embedded.config.publicUrl,
    SEEDFEED_S3_ENDPOINT: embedded.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SESSION_TOKEN: 'role-session',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
}

/** Runs the bundle's handler on one SQS event in a fresh Node process, as Lambda would. */
async function handleInFreshProcess(
  dir: string,
  outfile: string,
  keys: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; failures: unknown[] }> {
  const eventFile = join(dir, 'event.json');
  const resultFile = join(dir, 'result.json');
  const driver = join(dir, 'driver.mjs');
  await writeFile(
    eventFile,
    JSON.stringify(sqsEvent(keys.map((key) => sqsMessage(s3Record('created', 'seeds', key))))),
  );
  await writeFile(driver, DRIVER);
  const run = await runNode([driver, outfile, eventFile, resultFile], { env });
  const failures =
    run.code === 0
      ? (JSON.parse(await readFile(resultFile, 'utf8')) as { batchItemFailures: unknown[] }).batchItemFailures
      : ['the process failed'];
  return { ...run, failures };
}

describe('the deployed bundle', () => {
  let dir: string;
  let outfile: string;
  let metafile: Metafile;
  let embedded: Embedded;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfeed-bundle-'));
    outfile = join(dir, 'index.mjs');
    const result = await build(esbuildOptions(outfile));
    if (!result.metafile) throw new Error('esbuild returned no metafile');
    metafile = result.metafile;
    embedded = await startEmbedded({ directory: join(dir, 's3'), port: 0, deliverEvents: false });
  });

  afterAll(async () => {
    await embedded?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one file that imports nothing but Node built-ins, the AWS SDK included', async () => {
    // Prepare
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

    // Act
    const size = (await stat(outfile)).size;
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    console.log(
      `bundle: ${(size / 1024).toFixed(0)} KB minified (issue target: 600 KB); biggest inputs:`,
      biggestInputs(metafile, 8),
    );

    // Assess
    expect(Object.keys(metafile.outputs)).toHaveLength(1);
    expect(imports.filter((i) => !builtins.has(i.path))).toEqual([]);
    expect(Object.keys(metafile.inputs).some((input) => input.includes('@aws-sdk/client-s3'))).toBe(true);
    expect((await readFile(outfile, 'utf8')).startsWith('import { createRequire as __createRequire }')).toBe(
      true,
    );
  });

  it('publishes a real seed from an SQS event in a fresh Node process', async () => {
    // Prepare
    const body = await readFile(SEED_FILE);
    await embedded.seeds.put(SEED_KEY, body, { contentType: 'text/plain; charset=utf-8' });
    const cloudFront = await startCloudFrontApi();

    // Act
    const run = await handleInFreshProcess(dir, outfile, [SEED_KEY], {
      ...functionEnv(embedded),
      SEEDFEED_DISTRIBUTION_ID: 'E2QWRUHAPOMQZL',
      SEEDFEED_CLOUDFRONT_ENDPOINT: cloudFront.endpoint,
      // Every change, so that publishing one seed is enough to see the bundle sign an invalidation.
      SEEDFEED_CDN_INVALIDATION: 'changes',
    });
    const rss = await fetch(new URL('rss.xml', embedded.config.publicUrl));
    await cloudFront.close();

    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.failures).toEqual([]);
    expect(rss.status).toBe(200);
    expect(await rss.text()).toContain(TITLE);
    // The invalidation is signed with the role's keys from the environment, as Lambda hands them over.
    expect(cloudFront.requests).toHaveLength(1);
    const [invalidation] = cloudFront.requests;
    if (!invalidation) throw new Error('no invalidation');
    expect(verifySigV4(invalidation, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }).valid).toBe(true);
    expect(invalidation.headers['x-amz-security-token']).toBe('role-session');
    expect(readBatch(invalidation.body).paths).toEqual(
      expect.arrayContaining(['/', '/index.html', '/rss.xml']),
    );
    // The alarms (cdk/alerts.ts) watch exactly these: a renamed metric would leave them watching nothing.
    expect(emittedMetrics(run.output)).toEqual(
      expect.arrayContaining(
        Object.values(SEED_METRICS).map((name) => `${METRICS_NAMESPACE}/${name} service=${SERVICE_NAME}`),
      ),
    );
  });

  // marked and franc-min start on first use in the bundle (lambdas/seedfeed/bundle/): a title with a
  // code span and Ukrainian text without a hint need both, and read as the parser reads them in tests.
  it('reads Markdown titles and detects shared-script languages with its lazily started modules', async () => {
    // Prepare
    const key = 'seeds/markdown-ukrainian.txt';
    const seed = [
      '<!--1706700000000-->',
      '[Міська рада *схвалила* `LazyCell<T>` бюджет](https://news.example.com/world/budget)',
      '------',
      '',
      '<p>Міська рада схвалила бюджет на наступний рік після довгої дискусії про громадський транспорт, ' +
        'ремонт шкіл і нові велосипедні доріжки. Депутати погодилися, що ці зміни потрібні місту.</p>',
    ].join('\n');
    await embedded.seeds.put(key, Buffer.from(seed), { contentType: 'text/plain; charset=utf-8' });

    // Act
    const run = await handleInFreshProcess(dir, outfile, [key], functionEnv(embedded));
    const feed = (await (await fetch(new URL('feed.json', embedded.config.publicUrl))).json()) as {
      items: { title: string; language: string; url: string }[];
    };

    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.failures).toEqual([]);
    const item = feed.items.find((entry) => entry.url === 'https://news.example.com/world/budget');
    // Without marked the code span's `<T>` would be read as a tag and dropped, the asterisks kept.
    expect(item?.title).toBe('Міська рада схвалила LazyCell<T> бюджет');
    // Without the model, Cyrillic text without a hint is read as Russian, the script's main language.
    expect(item?.language).toBe('uk');
  });
});
