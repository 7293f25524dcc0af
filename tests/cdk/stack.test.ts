import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../cdk/bundling.js';
import { SETTINGS } from '../../lambdas/seedfeed/config.js';
import { idOf, list, type Statement, type Synthesized, statements, synth } from './synth.js';

describe('SeedfeedStack as cdk.json deploys it', () => {
  let synthesized: Synthesized;
  let template: Template;
  let seeds: string;
  let feeds: string;
  let events: string;
  let deadLetters: string;
  let distribution: string;

  beforeAll(() => {
    // The one real bundling in this file: everything below reads the same synthesized template.
    synthesized = synth({}, { bundle: true });
    template = synthesized.template;
    seeds = idOf(template, 'AWS::S3::Bucket', 'IntakeSeeds');
    feeds = idOf(template, 'AWS::S3::Bucket', 'SiteFeeds');
    events = idOf(template, 'AWS::SQS::Queue', 'IntakeEvents');
    deadLetters = idOf(template, 'AWS::SQS::Queue', 'IntakeDeadLetters');
    distribution = idOf(template, 'AWS::CloudFront::Distribution', 'SiteCdn');
  });

  it('keeps every bucket private, encrypted and TLS-only, and versions the seeds', () => {
    // Prepare
    const buckets = template.findResources('AWS::S3::Bucket');
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));

    // Act
    const tlsOnly = (id: string) =>
      policies.some((policy) =>
        (policy.Properties.PolicyDocument.Statement as Statement[]).some(
          (s) =>
            s.Effect === 'Deny' &&
            JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}' &&
            JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: id }),
        ),
      );

    // Assess
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration, id).toEqual([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]);
      expect(tlsOnly(id), id).toBe(true);
    }
    expect(buckets[seeds]?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('allows no bucket access to anyone but named AWS services', () => {
    // Act
    const allows = statements(template, 'AWS::S3::BucketPolicy').filter((s) => s.Effect === 'Allow');

    // Assess
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement.Principal).toEqual({ Service: expect.stringMatching(/\.amazonaws\.com$/) });
      expect(statement.Condition).toBeDefined();
    }
    // The seeds bucket grants nothing through its policy: only the function's role reaches it.
    const seedsPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (policy) => policy.Properties.Bucket.Ref === seeds,
    );
    const seedsAllows = ((seedsPolicy?.Properties.PolicyDocument.Statement ?? []) as Statement[]).filter(
      (s) => s.Effect === 'Allow',
    );
    expect(seedsPolicy).toBeDefined();
    expect(seedsAllows).toEqual([]);
  });

  it('sends created and removed seeds, and only seeds, to the queue', () => {
    // Prepare
    const onlySeeds = { Key: { FilterRules: [{ Name: 'prefix', Value: 'seeds/' }] } };
    const queueArn = { 'Fn::GetAtt': [events, 'Arn'] };

    // Act
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));

    // Assess
    expect(notifications).toHaveLength(1);
    const [notification] = notifications;
    expect(notification?.Properties.BucketName).toEqual({ Ref: seeds });
    expect(notification?.Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        { Events: ['s3:ObjectCreated:*'], Filter: onlySeeds, QueueArn: queueArn },
        { Events: ['s3:ObjectRemoved:*'], Filter: onlySeeds, QueueArn: queueArn },
      ],
    });
  });

  it('expires tombstones a day after the longest an event can wait, and only empty state markers', () => {
    // Prepare
    const rules = template.findResources('AWS::S3::Bucket')[seeds]?.Properties.LifecycleConfiguration
      .Rules as Record<string, unknown>[];
    const queues = template.findResources('AWS::SQS::Queue');
    const longest = Math.max(
      ...Object.values(queues).map((q) => (q.Properties.MessageRetentionPeriod as number) ?? 4 * 24 * 3600),
    );

    // Assess
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        Prefix: 'state/seeds/',
        ObjectSizeLessThan: 1,
        ExpirationInDays: longest / (24 * 3600) + 1,
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ ExpiredObjectDeleteMarker: true }));
  });

  it('parks a message after five receives, hides it for six timeouts, and alerts on any parked', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: 5 },
      VisibilityTimeout: 6 * 60,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: Match.absent(),
    });
    for (const queue of [events, deadLetters]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: idOf(template, 'AWS::SNS::Topic', 'AlertsTopic') }],
    });
  });

  it('delivers batches from the queue that report failures per message, to at most five instances', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [events, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    // A reserved concurrency below the maximum would throttle what SQS hands out (see docs/deploy.md).
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('traces the function actively, granting X-Ray writes and nothing else on "*"', () => {
    // Act
    const everywhere = statements(template, 'AWS::IAM::Policy').filter((s) =>
      list(s.Resource).some((resource) => resource === '*'),
    );

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      TracingConfig: { Mode: 'Active' },
    });
    expect(everywhere.flatMap((s) => list(s.Action)).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it("keeps every log group a month, and gives every function one of them, CDK's own included", () => {
    // Prepare
    const groups = template.findResources('AWS::Logs::LogGroup');
    const functions = template.findResources('AWS::Lambda::Function');

    // Act
    const logsTo = Object.entries(functions).map(([id, fn]) => [id, fn.Properties.LoggingConfig?.LogGroup]);

    // Assess
    expect(Object.keys(functions)).toHaveLength(2);
    expect(Object.keys(groups)).toHaveLength(2);
    for (const [id, group] of Object.entries(groups)) expect(group.Properties.RetentionInDays, id).toBe(30);
    for (const [id, group] of logsTo) {
      expect(Object.keys(groups), String(id)).toContain((group as { Ref?: string } | undefined)?.Ref);
    }
  });

  it('runs the function on Node.js 22 and arm64 with bounded memory and time, logging JSON to its own group', () => {
    // Prepare
    const logGroup = idOf(template, 'AWS::Logs::LogGroup', 'PublisherLogs');

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 60,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroup } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives the function its buckets, public URL and Powertools names, and only settings it knows', () => {
    // Prepare
    const known = new Set(Object.values(SETTINGS).map((setting) => setting.env));
    const publisher = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Runtime === 'nodejs22.x',
    );

    // Act
    const env = publisher?.Properties.Environment.Variables as Record<string, unknown>;

    // Assess
    expect(env).toMatchObject({
      SEEDFEED_SEEDS_BUCKET: { Ref: seeds },
      SEEDFEED_FEEDS_BUCKET: { Ref: feeds },
      SEEDFEED_PUBLIC_URL: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']],
      },
      POWERTOOLS_SERVICE_NAME: 'seedfeed',
      POWERTOOLS_METRICS_NAMESPACE: 'seedfeed',
    });
    const unknown = Object.keys(env).filter((name) => !known.has(name) && !name.startsWith('POWERTOOLS_'));
    expect(unknown).toEqual([]);
  });

  it('bundles index.mjs as ESM with the require banner into the function asset', () => {
    // Prepare
    const assembly = synthesized.app.synth();

    // Act
    const bundles = readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(assembly.directory, name, 'index.mjs'))
      .filter((file) => existsSync(file));

    // Assess
    expect(bundles).toHaveLength(1);
    const [bundle] = bundles as [string];
    expect(readFileSync(bundle, 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    console.log(`function asset: ${(statSync(bundle).size / 1024).toFixed(0)} KB`);
  });
});
