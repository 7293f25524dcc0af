import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UploadersProps {
  seeds: IBucket;
  seedsPrefix: string;
  /** The function's own records: a forged one would be rendered as if the function had written it. */
  privatePrefixes: string[];
}

/**
 * What a person or CI job that publishes articles may do, as one managed policy to attach to their
 * role: put and delete seeds, list them (for `aws s3 sync --delete`), nothing else in the bucket.
 */
export class Uploaders extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: UploadersProps) {
    super(scope, id);
    const { seeds, seedsPrefix } = props;
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `seedfeed uploaders: put and delete ${seedsPrefix}* in the seeds bucket`,
      statements: [
        // DeleteObject only adds a delete marker in the versioned bucket: an uploader cannot
        // destroy a seed's history (that would take s3:DeleteObjectVersion).
        new PolicyStatement({
          sid: 'PutAndDeleteSeeds',
          actions: ['s3:PutObject', 's3:DeleteObject'],
          resources: [seeds.arnForObjects(`${seedsPrefix}*`)],
        }),
        new PolicyStatement({
          sid: 'ListSeeds',
          actions: ['s3:ListBucket'],
          resources: [seeds.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${seedsPrefix}*`] } },
        }),
        // Holds even if the same role is also given broader S3 rights by another policy.
        new PolicyStatement({
          sid: 'NeverTheRecords',
          effect: Effect.DENY,
          actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: props.privatePrefixes.map((prefix) => seeds.arnForObjects(`${prefix}*`)),
        }),
      ],
    });
  }
}
