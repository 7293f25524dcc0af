import '../../local/s3rver-compat.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { createHandler, type HandlerResult } from '../../lambdas/seedfeed/handler.js';
import type { Log, Metrics } from '../../lambdas/seedfeed/ports.js';
import { createS3Client } from '../../lambdas/seedfeed/storage/client.js';
import { S3Bucket } from '../../lambdas/seedfeed/storage/s3.js';
import { type Embedded, quietLog, startEmbedded } from '../../local/embedded.js';

export type Instance = (event: SQSEvent) => Promise<HandlerResult>;

export interface ClusterOptions {
  env?: Record<string, string>;
  log?: Log;
  metrics?: Metrics;
  /** Middleware for each instance's own S3 client (fault injection, request counting). */
  configureClient?: (client: S3Client) => void;
}

export interface Cluster {
  embedded: Embedded;
  /** A fresh function instance: its own S3 client and its own warm caches, like a new Lambda container. */
  instance(configure?: (client: S3Client) => void): Instance;
  dispose(): Promise<void>;
}

/**
 * s3rver with event delivery turned off, so the test decides which instance gets which notification,
 * when, and how often.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-cluster-'));
  const embedded = await startEmbedded({
    directory,
    port: 0,
    deliverEvents: false,
    ...(options.env ? { env: options.env } : {}),
  });
  const clients: S3Client[] = [];
  return {
    embedded,
    instance(configure) {
      const client = createS3Client({
        endpoint: embedded.endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      options.configureClient?.(client);
      configure?.(client);
      clients.push(client);
      const { config } = embedded;
      return createHandler({
        config,
        seeds: new S3Bucket(client, config.seedsBucket),
        feeds: new S3Bucket(client, config.feedsBucket),
        log: options.log ?? quietLog,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    },
    async dispose() {
      for (const client of clients) client.destroy();
      await embedded.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
