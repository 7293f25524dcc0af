import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { publicKeysOf } from '../lambdas/seedfeed/render/site-files.js';
import { MAIN_VIEW } from '../lambdas/seedfeed/render/view.js';
import { HANDLER_ENTRY, HANDLER_EXPORT, nodejsBundling } from './bundling.js';
import { LOG_RETENTION } from './logs.js';

/**
 * Every object the function writes in the feeds bucket. It may touch nothing else there, so a bug
 * cannot overwrite or delete a file someone else put beside the feeds.
 */
export const FEED_OBJECTS = [
  // The main view's files as the renderer lists them (feeds, page, news sitemap, OPML)…
  ...publicKeysOf(MAIN_VIEW),
  // …and every collection's folder (publish/collections.ts collectionPath).
  'categories/*',
  'authors/*',
  'archive/*',
];
/**
 * The files of a category or month that no longer has items are stale and must go; the main feeds are
 * only ever replaced, so deleting is granted on these prefixes alone.
 */
export const COLLECTION_OBJECTS = FEED_OBJECTS.filter((key) => key.endsWith('/*'));

export const SERVICE_NAME = 'seedfeed';
export const METRICS_NAMESPACE = 'seedfeed';

export interface PublisherProps {
  seeds: IBucket;
  feeds: IBucket;
  queue: IQueue;
  seedsPrefix: string;
  statePrefix: string;
  rejectedPrefix: string;
  environment: Record<string, string>;
  /** The CloudFront distribution whose copies of changed files the function invalidates. */
  distributionArn: string;
  memorySize: number;
  timeout: Duration;
  batchSize: number;
  batchWindow: Duration;
  maxConcurrency: number;
}

/** The function that turns seed events into feeds, with exactly the access that job needs. */
export class Publisher extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PublisherProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the AWS-managed basic execution policy, which may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'seedfeed publisher: seeds in, feeds out',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    grantBucket(this.role, props);
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'InvalidateCdnCopies',
        actions: ['cloudfront:CreateInvalidation'],
        resources: [props.distributionArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: HANDLER_ENTRY,
      handler: HANDLER_EXPORT,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: nodejsBundling(),
      // Lambda's own segments (init, invocation, overhead) only: no SDK tracer is bundled.
      tracing: Tracing.ACTIVE,
      description: 'seedfeed: seeds → RSS, Atom and JSON Feed',
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });

    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: props.batchSize,
        ...(props.batchWindow.toSeconds() > 0 ? { maxBatchingWindow: props.batchWindow } : {}),
        // SQS stops handing out batches at this bound, so a burst queues instead of fanning out.
        maxConcurrency: props.maxConcurrency,
        // One bad seed must not send the whole batch back: the handler reports failures per message.
        reportBatchItemFailures: true,
      }),
    );
  }
}

function grantBucket(role: Role, props: PublisherProps): void {
  const { seeds, feeds } = props;
  // HeadObject is authorised by s3:GetObject.
  role.addToPolicy(
    new PolicyStatement({
      sid: 'ReadSeeds',
      actions: ['s3:GetObject'],
      resources: [seeds.arnForObjects(`${props.seedsPrefix}*`)],
    }),
  );
  role.addToPolicy(
    new PolicyStatement({
      sid: 'KeepRecords',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [props.statePrefix, props.rejectedPrefix].map((prefix) => seeds.arnForObjects(`${prefix}*`)),
    }),
  );
  role.addToPolicy(
    new PolicyStatement({
      sid: 'PublishFeeds',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: FEED_OBJECTS.map((key) => feeds.arnForObjects(key)),
    }),
  );
  role.addToPolicy(
    new PolicyStatement({
      sid: 'DeleteStaleCollections',
      actions: ['s3:DeleteObject'],
      resources: COLLECTION_OBJECTS.map((key) => feeds.arnForObjects(key)),
    }),
  );
  // Without ListBucket, S3 answers a GET or HEAD of a missing key with 403 instead of 404, and the
  // function could not tell "seed deleted" or "feed not yet written" from a real denial. The implicit
  // check S3 makes for that 404 carries no s3:prefix, so a prefix condition would bring the 403 back
  // (and `StringLikeIfExists` would let an unprefixed list through, limiting nothing). Listing reveals
  // key names only, in buckets whose objects the function reads anyway.
  role.addToPolicy(
    new PolicyStatement({
      sid: 'TellMissingFromDenied',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [seeds.bucketArn, feeds.bucketArn],
    }),
  );
}
