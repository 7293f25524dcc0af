import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { responseHeaders } from './headers.js';
import { bucketRef } from './refs.js';

export interface SiteProps {
  accessLogs: IBucket;
  domainName?: string;
  certificateArn?: string;
}

/**
 * The feeds bucket behind CloudFront. The bucket itself is private; only this distribution may read it
 * (Origin Access Control), and it holds nothing but the public files: the function's private records
 * live in the seeds bucket, which no URL reaches.
 */
export class Site extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Where the feeds are served, ending in '/'. */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Feeds', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'feeds-bucket/',
      // Everything here is regenerated from the records on the next seed, so nothing is lost with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The function sets Cache-Control on every object; these bounds only apply when it is missing.
    const cachePolicy = new CachePolicy(this, 'HonourCacheControl', {
      comment: 'seedfeed: follow the objects Cache-Control',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const { domainName, certificateArn } = props;
    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'seedfeed feeds',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucketRef(this.bucket)),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy,
        // Feeds are read by web apps on other origins too; every file gets the CSP and security headers.
        responseHeadersPolicy: responseHeaders(this, 'Headers'),
      },
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      ...(domainName !== undefined && certificateArn !== undefined
        ? {
            domainNames: [domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    this.publicUrl = `https://${domainName ?? this.distribution.distributionDomainName}/`;
  }
}
