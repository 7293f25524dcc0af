import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { Alerts } from './alerts.js';
import { type Deployment, functionEnvironment } from './context.js';
import { Intake, MAX_RECEIVES } from './intake.js';
import { keepNotificationLogs } from './logs.js';
import { acknowledgeFindings } from './nag.js';
import { Publisher } from './publisher.js';
import { bucketRef } from './refs.js';
import { Site } from './site.js';
import { Sweep } from './sweep.js';
import { Uploaders } from './uploaders.js';

export interface SeedfeedStackProps extends StackProps {
  deployment: Deployment;
}

/**
 * One `cdk deploy`: seeds bucket → queue → function → feeds bucket → CloudFront, with alarms that
 * mail a person and a policy for whoever uploads seeds.
 */
export class SeedfeedStack extends Stack {
  readonly accessLogs: Bucket;
  readonly intake: Intake;
  readonly site: Site;
  readonly publisher: Publisher;
  readonly alerts: Alerts;
  readonly uploaders: Uploaders;
  readonly sweep: Sweep;

  constructor(scope: Construct, id: string, props: SeedfeedStackProps) {
    super(scope, id, props);
    const { config, options } = props.deployment;
    const timeout = Duration.seconds(options.timeoutSeconds);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs support neither KMS nor disabled ACLs.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.intake = new Intake(this, 'Intake', {
      seedsPrefix: config.seedsPrefix,
      statePrefix: config.statePrefix,
      functionTimeout: timeout,
      accessLogs: bucketRef(this.accessLogs),
    });
    this.site = new Site(this, 'Site', {
      accessLogs: bucketRef(this.accessLogs),
      ...(options.domainName !== undefined ? { domainName: options.domainName } : {}),
      ...(options.certificateArn !== undefined ? { certificateArn: options.certificateArn } : {}),
    });
    this.publisher = new Publisher(this, 'Publisher', {
      seeds: bucketRef(this.intake.bucket),
      feeds: bucketRef(this.site.bucket),
      queue: this.intake.queue,
      seedsPrefix: config.seedsPrefix,
      statePrefix: config.statePrefix,
      rejectedPrefix: config.rejectedPrefix,
      environment: functionEnvironment(props.deployment, {
        seedsBucket: this.intake.bucket.bucketName,
        feedsBucket: this.site.bucket.bucketName,
        publicUrl: this.site.publicUrl,
        distributionId: this.site.distribution.distributionId,
      }),
      distributionArn: this.site.distribution.distributionArn,
      memorySize: options.memorySize,
      timeout,
      batchSize: options.batchSize,
      batchWindow: Duration.seconds(options.batchWindowSeconds),
      maxConcurrency: options.maxConcurrency,
    });
    this.sweep = new Sweep(this, 'Sweep', { queue: this.intake.queue, minutes: config.sweepMinutes });
    this.alerts = new Alerts(this, 'Alerts', {
      function: this.publisher.function,
      queue: this.intake.queue,
      deadLetters: this.intake.deadLetters,
      timeout,
      visibilityTimeout: this.intake.visibilityTimeout,
      ...(options.alertEmail !== undefined ? { alertEmail: options.alertEmail } : {}),
    });
    this.uploaders = new Uploaders(this, 'Uploaders', {
      seeds: bucketRef(this.intake.bucket),
      seedsPrefix: config.seedsPrefix,
      privatePrefixes: [config.statePrefix, config.rejectedPrefix],
    });
    keepNotificationLogs(this);

    this.outputs(config.seedsPrefix);
    acknowledgeFindings(this, {
      seeds: this.intake.bucket,
      feeds: this.site.bucket,
      role: this.publisher.role,
      function: this.publisher.function,
      uploaders: this.uploaders.policy,
      distribution: this.site.distribution,
      prefixes: { seeds: config.seedsPrefix, state: config.statePrefix, rejected: config.rejectedPrefix },
      customDomain: options.domainName !== undefined,
    });
  }

  private outputs(seedsPrefix: string): void {
    const seeds = this.intake.bucket.bucketName;
    new CfnOutput(this, 'SeedsBucketName', { value: seeds, description: 'Upload seeds here' });
    new CfnOutput(this, 'UploadCommand', {
      value: `aws s3 cp article.txt s3://${seeds}/${seedsPrefix}`,
      description: 'Publishes one article',
    });
    const files = {
      RssUrl: 'rss.xml',
      AtomUrl: 'atom.xml',
      JsonFeedUrl: 'feed.json',
      IndexUrl: 'index.html',
    };
    for (const [id, file] of Object.entries(files)) {
      new CfnOutput(this, id, { value: `${this.site.publicUrl}${file}` });
    }
    new CfnOutput(this, 'DeadLetterQueueName', {
      value: this.intake.deadLetters.queueName,
      description: `Seed events that failed ${MAX_RECEIVES} times; the DeadLettersAlarm fires when it is not empty`,
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: "Point the custom domain's CNAME (or Route 53 alias) at this",
    });
    new CfnOutput(this, 'UploaderPolicyArn', {
      value: this.uploaders.policy.managedPolicyArn,
      description: 'Attach to the role or user that uploads seeds (docs/deploy.md)',
    });
    new CfnOutput(this, 'AlertTopicArn', {
      value: this.alerts.topic.topicArn,
      description: 'Every alarm notifies this topic; alertEmail subscribes an address, add others here',
    });
    new CfnOutput(this, 'DashboardName', { value: this.alerts.dashboard.dashboardName });
  }
}
