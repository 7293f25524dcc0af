import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { cloudFrontInvalidator } from './cdn.js';
import { loadConfig } from './config.js';
import { createHandler, type HandlerResult } from './handler.js';
import type { Log } from './ports.js';
import { createS3Client } from './storage/client.js';
import { S3Bucket } from './storage/s3.js';
import { webSubNotifier } from './websub.js';

/**
 * The Lambda entry point. Nothing is built at import time, so importing this module in a test or a
 * bundle check has no side effects; the first invocation reads and validates the configuration (a
 * ConfigError fails that invocation loudly) and builds the clients once for the life of the instance.
 */
let built: ((event: SQSEvent) => Promise<HandlerResult>) | undefined;
let metrics: Metrics | undefined;

function build(): (event: SQSEvent) => Promise<HandlerResult> {
  const config = loadConfig(process.env);
  const client = createS3Client(
    process.env.SEEDFEED_S3_ENDPOINT ? { endpoint: process.env.SEEDFEED_S3_ENDPOINT } : {},
  );
  // The stack names the service and namespace in POWERTOOLS_* variables; the fallbacks serve other hosts.
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'seedfeed';
  const logger = new Logger({ serviceName });
  metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'seedfeed', serviceName });
  const sink = metrics;
  const log: Log = {
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
  return createHandler({
    config,
    ...memoryOf(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE),
    seeds: new S3Bucket(client, config.seedsBucket),
    feeds: new S3Bucket(client, config.feedsBucket),
    log,
    ...(config.hubUrl ? { notify: webSubNotifier({ hubUrl: config.hubUrl, log }) } : {}),
    ...(config.distributionId
      ? {
          invalidate: cloudFrontInvalidator({
            distributionId: config.distributionId,
            // The S3 client's own provider: on Lambda the role's keys from the environment.
            credentials: client.config.credentials,
            // Only for the bundle test's stand-in for CloudFront's API.
            ...(process.env.SEEDFEED_CLOUDFRONT_ENDPOINT
              ? { endpoint: process.env.SEEDFEED_CLOUDFRONT_ENDPOINT }
              : {}),
          }),
        }
      : {}),
    metrics: {
      count: (name, value) => sink.addMetric(name, MetricUnit.Count, value),
      milliseconds: (name, value) => sink.addMetric(name, MetricUnit.Milliseconds, value),
    },
  });
}

/** Lambda sets the function's memory; elsewhere (the bundle test) there is none, and the memo keeps its default. */
function memoryOf(raw: string | undefined): { memoryMb?: number } {
  const memoryMb = Number(raw);
  return Number.isInteger(memoryMb) && memoryMb > 0 ? { memoryMb } : {};
}

export async function handler(event: SQSEvent): Promise<HandlerResult> {
  built ??= build();
  try {
    return await built(event);
  } finally {
    metrics?.publishStoredMetrics();
  }
}
