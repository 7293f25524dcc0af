import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface IntakeProps {
  seedsPrefix: string;
  /** Where the function keeps its records; its empty objects under `seeds/` are tombstones. */
  statePrefix: string;
  /** The function's timeout: a message must stay hidden for as long as every retry inside one receive. */
  functionTimeout: Duration;
  accessLogs: IBucket;
}

/** AWS's advice for Lambda consumers: at least six times the timeout, so throttled retries don't redeliver. */
export const VISIBILITY_PER_TIMEOUT = 6;
/** Receives before a message is parked: enough to ride out throttling and transient S3 errors. */
export const MAX_RECEIVES = 5;
/** How long an event may still arrive: the dead-letter queue keeps a message this long after it was sent. */
export const LONGEST_RETENTION = Duration.days(14);
/**
 * A tombstone (the empty marker a deleted seed leaves, see publish/keys.ts) only guards against an
 * older event of that seed arriving late; past the longest retention, plus a day, none can.
 */
export const TOMBSTONE_EXPIRY = Duration.days(LONGEST_RETENTION.toDays() + 1);

/**
 * The private seeds bucket and the queue its seed events go to. Only keys under the seeds prefix
 * notify: the function's own records (state/, rejected/) live in the same bucket and must never
 * wake it up again.
 */
export class Intake extends Construct {
  readonly bucket: Bucket;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Seeds', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // An overwritten or deleted seed can be restored, and republished by copying it back.
      versioned: true,
      lifecycleRules: [
        {
          // Records are rewritten on every publish; without this their old versions would pile up forever.
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        {
          // Tombstones are the only empty objects under the records' seeds/ folder (markers of an
          // entry or a rejection hold JSON), so size alone tells them apart.
          prefix: `${props.statePrefix}seeds/`,
          objectSizeLessThan: 1,
          expiration: TOMBSTONE_EXPIRY,
        },
        // The delete markers that expiry leaves in a versioned bucket, once nothing is behind them.
        { expiredObjectDeleteMarker: true },
      ],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'seeds-bucket/',
      // The seeds are the operator's articles: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: LONGEST_RETENTION,
    });
    this.visibilityTimeout = Duration.seconds(props.functionTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT);
    this.queue = new Queue(this, 'Events', {
      // SSE-SQS rather than KMS: S3 can publish to it without a key policy, at no extra cost.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
    });

    const destination = new SqsDestination(this.queue);
    const filter = { prefix: props.seedsPrefix };
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, destination, filter);
    this.bucket.addEventNotification(EventType.OBJECT_REMOVED, destination, filter);
  }
}
