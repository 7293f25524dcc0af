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
  /** The function's timeout: a message must stay hidden for as long as every retry inside one receive. */
  functionTimeout: Duration;
  accessLogs: IBucket;
}

/** AWS's advice for Lambda consumers: at least six times the timeout, so throttled retries don't redeliver. */
export const VISIBILITY_PER_TIMEOUT = 6;
/** Receives before a message is parked: enough to ride out throttling and transient S3 errors. */
export const MAX_RECEIVES = 5;

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
      ],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'seeds-bucket/',
      // The seeds are the operator's articles: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
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
