import type { S3Client } from '@aws-sdk/client-s3';
import { type Config, loadConfig, toEnvironment } from '../lambdas/seedfeed/config.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import { createHandler, type HandlerResult } from '../lambdas/seedfeed/handler.js';
import { createS3Client } from '../lambdas/seedfeed/storage/client.js';
import { S3Bucket } from '../lambdas/seedfeed/storage/s3.js';
import { quietLog } from '../local/embedded.js';
import { BASE_STAMP, type GeneratedSeed, generateSeed } from './corpus.js';
import { naivePublish } from './naive.js';
import { type RemoteS3, startRemoteS3 } from './remote.js';
import { type Counts, RequestCounter, sqsEventFor, total } from './s3.js';
import { median, type Summary, summarize, timed } from './stats.js';

export interface UploadCost {
  /** Items published before each measured upload (the first of them; each upload adds one). */
  published: number;
  uploads: number;
  /** Median requests of each type per upload. */
  requests: Counts;
  totalRequests: number;
  wallMs: Summary;
  /** CPU of this process only: s3rver runs in another, so this is the handler and its SDK client. */
  cpuMs: Summary;
  /** The main thread's share of `cpuMs` (Linux only): the handler itself, without V8's background compiles. */
  mainCpuMs?: Summary;
  /** Median round trip of each request type, as s3rver answered it. */
  latencyMs: Record<string, number>;
  /** Median number of sequential stages (bench/s3.ts `stagesOf`). */
  stages: number;
}

export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

export type SeedFactory = (index: number, stamp: number) => Pick<GeneratedSeed, 'name' | 'text'>;

const SEEDING_BATCH = 500;
const SEEDS = 'seeds';
const FEEDS = 'feeds';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function check(result: HandlerResult, expected: number): void {
  const published = result.outcomes.filter((o) => o.status === 'published').length;
  if (result.batchItemFailures.length > 0 || published !== expected || !result.regenerated) {
    throw new PublishFailedError(
      `handler published ${published} of ${expected} seeds (${result.batchItemFailures.length} failures)`,
    );
  }
}

/**
 * One bucket that grows from 10 to 10,000 published items. Old items are imported through the same
 * handler in large batches (an archive arriving at once); the measured uploads are new articles, one
 * per invocation, each newer than everything published: every feed file changes, the worst case.
 */
export class ScaleRig {
  published = 0;
  private seeded = 0;
  private fresh = 0;

  private constructor(
    private readonly remote: RemoteS3,
    private readonly config: Config,
    private readonly clients: S3Client[],
    private readonly uploader: S3Bucket,
    private readonly counter: RequestCounter,
    private readonly naiveCounter: RequestCounter,
    private readonly importer: ReturnType<typeof createHandler>,
    private readonly handler: ReturnType<typeof createHandler>,
    private readonly naive: { seeds: S3Bucket; feeds: S3Bucket },
    private readonly seedFor: SeedFactory,
    /** A new function instance: its own S3 client (counted by `counter`) and empty caches. */
    private readonly freshInstance: () => ReturnType<typeof createHandler>,
  ) {}

  /** `env`: extra SEEDFEED_* settings, e.g. to measure with category feeds and archives on. */
  static async start(
    seedFor: SeedFactory = generateSeed,
    env: Record<string, string> = {},
  ): Promise<ScaleRig> {
    const remote = await startRemoteS3();
    const config = loadConfig({
      ...env,
      ...toEnvironment({ seedsBucket: SEEDS, feedsBucket: FEEDS, publicUrl: `${remote.endpoint}/${FEEDS}/` }),
    });
    const client = () => createS3Client({ endpoint: remote.endpoint, credentials: CREDENTIALS });
    const [upload, importing, measured, naive] = [client(), client(), client(), client()];
    const clients = [upload, importing, measured, naive];
    const counter = new RequestCounter();
    counter.attach(measured);
    const naiveCounter = new RequestCounter();
    naiveCounter.attach(naive);
    const handlerFor = (c: S3Client, concurrency?: number) =>
      createHandler({
        config,
        seeds: new S3Bucket(c, SEEDS),
        feeds: new S3Bucket(c, FEEDS),
        log: quietLog,
        ...(concurrency ? { concurrency } : {}),
      });
    return new ScaleRig(
      remote,
      config,
      clients,
      new S3Bucket(upload, SEEDS),
      counter,
      naiveCounter,
      handlerFor(importing, 16),
      handlerFor(measured),
      { seeds: new S3Bucket(naive, SEEDS), feeds: new S3Bucket(naive, FEEDS) },
      seedFor,
      () => {
        const fresh = client();
        counter.attach(fresh);
        clients.push(fresh);
        return handlerFor(fresh);
      },
    );
  }

  /** Imports older articles until `target` have been imported, in batches of 500 events. */
  async grow(target: number): Promise<void> {
    while (this.seeded < target) {
      const from = this.seeded;
      const to = Math.min(target, from + SEEDING_BATCH);
      const keys: string[] = [];
      await eachLimited(
        Array.from({ length: to - from }, (_, i) => from + i),
        16,
        async (index) => {
          const seed = this.seedFor(index, BASE_STAMP - (index + 1) * 60_000);
          const key = `${this.config.seedsPrefix}${seed.name}`;
          keys.push(key);
          await this.uploader.put(key, seed.text, { contentType: 'text/plain; charset=utf-8' });
        },
      );
      check(await this.importer(sqsEventFor(SEEDS, keys)), keys.length);
      this.seeded = to;
      this.published += keys.length;
    }
  }

  /** Where the rig's S3 answers, and the settings its handlers run with. */
  get endpoint(): string {
    return this.remote.endpoint;
  }

  get settings(): Config {
    return this.config;
  }

  /** A new article uploaded (and counted as published) but delivered to no handler: the caller does that. */
  newSeed(): Promise<string> {
    return this.uploadFresh();
  }

  private async uploadFresh(): Promise<string> {
    this.fresh++;
    const seed = this.seedFor(1_000_000 + this.fresh, BASE_STAMP + this.fresh * 60_000);
    const key = `${this.config.seedsPrefix}${seed.name}`;
    await this.uploader.put(key, seed.text, { contentType: 'text/plain; charset=utf-8' });
    this.published++;
    return key;
  }

  /** The handler's cost for one new seed delivered alone; the first `warmups` are not counted. */
  async measureSeedfeed(uploads: number, warmups = 1): Promise<UploadCost> {
    const before = this.published;
    return this.measure(uploads, warmups, this.counter, async (key) => {
      check(await this.handler(sqsEventFor(SEEDS, [key])), 1);
    }).then((cost) => ({ ...cost, published: before + warmups }));
  }

  /**
   * The cost of one new seed delivered alone to a fresh instance each time, as on a site so quiet that
   * Lambda has reclaimed the last instance before every upload (the process itself stays warm: this is
   * the work a fresh instance does, not the JIT's).
   */
  async measureFreshInstance(uploads: number): Promise<UploadCost> {
    const before = this.published;
    return this.measure(uploads, 0, this.counter, async (key) => {
      check(await this.freshInstance()(sqsEventFor(SEEDS, [key])), 1);
    }).then((cost) => ({ ...cost, published: before }));
  }

  /** The naive publisher's cost for one new seed. */
  async measureNaive(uploads: number): Promise<UploadCost> {
    const before = this.published;
    return this.measure(uploads, 0, this.naiveCounter, async () => {
      await naivePublish(this.naive.seeds, this.naive.feeds, this.config);
    }).then((cost) => ({ ...cost, published: before }));
  }

  private async measure(
    uploads: number,
    warmups: number,
    counter: RequestCounter,
    publish: (key: string) => Promise<void>,
  ): Promise<Omit<UploadCost, 'published'>> {
    const runs: {
      counts: Counts;
      wallMs: number;
      cpuMs: number;
      mainCpuMs: number | undefined;
      latencies: Record<string, number[]>;
      stages: number;
    }[] = [];
    for (let i = 0; i < warmups + uploads; i++) {
      const key = await this.uploadFresh();
      counter.take();
      const { wallMs, cpuMs, mainCpuMs } = await timed(() => publish(key));
      const { counts, latencies, stages } = counter.take();
      if (i >= warmups) runs.push({ counts, wallMs, cpuMs, mainCpuMs, latencies, stages });
    }
    const types = [...new Set(runs.flatMap((run) => Object.keys(run.counts)))].sort();
    const requests = Object.fromEntries(types.map((t) => [t, median(runs.map((r) => r.counts[t] ?? 0))]));
    const latencyMs = Object.fromEntries(
      types.map((t) => [t, median(runs.flatMap((r) => r.latencies[t] ?? []))]),
    );
    return {
      uploads,
      requests,
      totalRequests: median(runs.map((r) => total(r.counts))),
      wallMs: summarize(runs.map((r) => r.wallMs)),
      cpuMs: summarize(runs.map((r) => r.cpuMs)),
      ...(runs.every((r) => r.mainCpuMs !== undefined)
        ? { mainCpuMs: summarize(runs.map((r) => r.mainCpuMs ?? 0)) }
        : {}),
      latencyMs,
      stages: median(runs.map((r) => r.stages)),
    };
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.destroy();
    await this.remote.stop();
  }
}
