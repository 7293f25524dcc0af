import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * aws-cdk-lib is compiled without exactOptionalPropertyTypes: its Bucket declares `isWebsite?: boolean`
 * where IBucket says `isWebsite: boolean | undefined`, so under our tsconfig a Bucket is not an IBucket
 * without this one, deliberate, assertion.
 */
export function bucketRef(bucket: Bucket): IBucket {
  return bucket as IBucket;
}
