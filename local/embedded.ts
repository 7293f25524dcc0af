import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import './s3rver-compat.js';
import { type Config, loadConfig, toEnvironment } from '../lambdas/seedfeed/config.js';
import { decodeEvent } from '../lambdas/seedfeed/events.js';
import { createHandler } from '../lambdas/seedfeed/handler.js';
import type { Log } from '../lambdas/seedfeed/ports.js';
import { StateKeys } from '../lambdas/seedfeed/publish/keys.js';
import { createS3Client } from '../lambdas/seedfeed/storage/client.js';
import { S3Bucket } from '../lambdas/seedfeed/storage/s3.js';
import { webSubNotifier } from '../lambdas/seedfeed/websub.js';
import { publicSite, type SiteMiddleware } from './public-site.js';
import { LocalQueue, type QueueOptions } from './queue.js';
import { Sweeper } from './sweeper.js';

export interface EmbeddedOptions {
  /** Where s3rver keeps its buckets. */
  directory: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where the feeds say they live; default: this server's feeds bucket (`http://127.0.0.1:<port>/feeds/`). */
  publicUrl?: string | undefined;
  /** SEEDFEED_* settings (title, language, items per feed…); buckets and URLs are set here. */
  env?: Record<string, string | undefined>;
  queue?: Partial<QueueOptions>;
  log?: Log;
  /** false: s3rver's notifications are dropped (a test that invokes a handler of its own). */
  deliverEvents?: boolean;
  /** Adds middleware to the handler's S3 client only (fault injection, request counting). */
  configureHandlerClient?: (client: S3Client) => void;
  /** The handler's time (a render's `now`); the machine's clock unless a test sets it. */
  clock?: () => Date;
  /** Sweep as the stack does (sweeper.ts): `npm start` does; tests and `--once` send sweeps themselves. */
  sweeps?: boolean;
}

export interface Embedded {
  endpoint: string;
  config: Config;
  /** The uploader's client: a separate client from the handler's, as on AWS. */
  client: S3Client;
  handlerClient: S3Client;
  seeds: S3Bucket;
  feeds: S3Bucket;
  queue: LocalQueue;
  close(): Promise<void>;
}

interface LocalServer {
  on(event: 'event', listener: (event: S3Event) => void): void;
  httpServer?: Server;
  middleware: SiteMiddleware[];
  configureBuckets(): Promise<void>;
  /** With a callback, s3rver's listen returns the http.Server at once (run() would leave its errors unhandled). */
  listen(port: number, address: string, listening: () => void): Server;
}

/** The port asked for cannot be bound (in use, or privileged): the caller's choice, not a fault. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly port: number,
    readonly code: string,
    options: ErrorOptions,
  ) {
    super(`cannot listen on 127.0.0.1:${port} (${code})`, options);
  }
}

export const SEEDS_BUCKET = 'seeds';
export const FEEDS_BUCKET = 'feeds';

const QUEUE_DEFAULTS: QueueOptions = { batchSize: 100, batchWindowMs: 30, maxReceives: 3, retryDelayMs: 200 };

export const quietLog: Log = { info() {}, warn() {}, error() {} };

/** Images of the demo seeds in seeds/demo/, served at /demo-images/ since nothing outside can be fetched. */
const DEMO_IMAGES = fileURLToPath(new URL('demo-images/', import.meta.url));

/**
 * s3rver on 127.0.0.1 with the seeds and feeds buckets, its notifications delivered to the Lambda
 * handler through a local queue. Only the endpoint and the event delivery differ from AWS.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  // The SDK warns once per process that its 2027 releases need Node 22; the Lambda runs on 22 already,
  // and the warning would bury the local run's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const configFor = (publicUrl: string) =>
    loadConfig({
      ...options.env,
      ...toEnvironment({ seedsBucket: SEEDS_BUCKET, feedsBucket: FEEDS_BUCKET, publicUrl }),
    });
  // Bad settings are reported before a port is taken (the real URL needs the port, so this is a trial).
  configFor(options.publicUrl ?? `http://127.0.0.1/${FEEDS_BUCKET}/`);
  // @types/s3rver lags behind s3rver 3.7 (optional bucket configs, the Koa event emitter).
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: SEEDS_BUCKET }, { name: FEEDS_BUCKET }],
  } as unknown as ConstructorParameters<typeof S3rver>[0]) as S3rver & LocalServer;
  // First in the chain, so a browser's read is answered before s3rver's router sees it.
  server.middleware.unshift(
    publicSite({ bucket: FEEDS_BUCKET, files: { mount: 'demo-images', dir: DEMO_IMAGES } }),
  );
  await server.configureBuckets();
  const { port } = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const config = configFor(options.publicUrl ?? `${endpoint}/${FEEDS_BUCKET}/`);
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = createS3Client({ endpoint, credentials });
  const handlerClient = createS3Client({ endpoint, credentials });
  options.configureHandlerClient?.(handlerClient);
  const seeds = new S3Bucket(client, SEEDS_BUCKET);
  const feeds = new S3Bucket(client, FEEDS_BUCKET);
  const log = options.log ?? quietLog;
  const clock = options.clock ?? (() => new Date());
  const handlerSeeds = new S3Bucket(handlerClient, SEEDS_BUCKET);
  const handle = createHandler({
    config,
    seeds: handlerSeeds,
    feeds: new S3Bucket(handlerClient, FEEDS_BUCKET),
    log,
    clock,
    ...(config.hubUrl ? { notify: webSubNotifier({ hubUrl: config.hubUrl, log }) } : {}),
  });
  let sweeper: Sweeper | undefined;
  const queue = new LocalQueue(
    async (event) => {
      const result = await handle(event);
      void sweeper?.arm();
      return result;
    },
    { ...QUEUE_DEFAULTS, ...options.queue },
    (error) => log.error('handler failed', { error: String(error) }),
    // The handler's own lines said "will be retried"; without this one the last try would end in silence.
    (record, deliveries) => {
      for (const { key } of decodeEvent({ Records: [record] }).events)
        log.error('gave up on the seed after its last delivery; it stays as it was until it changes again', {
          seedKey: key,
          deliveries,
        });
    },
  );
  if (options.sweeps) {
    sweeper = new Sweeper({
      queue,
      seeds: handlerSeeds,
      keys: new StateKeys(config.statePrefix, config.rejectedPrefix),
      periodMs: config.sweepMinutes * 60_000,
      clock,
      onError: (error) => log.error('could not look for embargoed seeds', { error: String(error) }),
    });
    await sweeper.arm();
  }
  // s3rver notifies for every bucket and key; on AWS the bucket's notification configuration sends only
  // the seeds bucket's events under the seeds prefix, so the same filter applies here.
  server.on('event', (event: S3Event) => {
    if (options.deliverEvents === false) return;
    const records = event.Records.filter((record) => record.s3.bucket.name === SEEDS_BUCKET);
    const wanted = records.filter((record) => record.s3.object.key.startsWith(config.seedsPrefix));
    if (wanted.length > 0) queue.send(wanted);
  });

  return {
    endpoint,
    config,
    client,
    handlerClient,
    seeds,
    feeds,
    queue,
    async close() {
      sweeper?.stop();
      queue.stop();
      client.destroy();
      handlerClient.destroy();
      // Keep-alive sockets from the SDK would hold close() open for minutes.
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}

async function listen(server: LocalServer, port: number): Promise<AddressInfo> {
  const http = server.listen(port, '127.0.0.1', () => {});
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(new ListenError(port, error.code ?? 'error', { cause: error }));
    http.once('error', failed);
    http.once('listening', () => {
      http.off('error', failed);
      resolve();
    });
  });
  server.httpServer = http;
  return http.address() as AddressInfo;
}
