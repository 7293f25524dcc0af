import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../cdk/headers.js';
import { FEED_OBJECTS } from '../../cdk/publisher.js';
import { collectionPath } from '../../lambdas/seedfeed/publish/collections.js';
import { publicKeysOf } from '../../lambdas/seedfeed/render/site-files.js';
import { MAIN_VIEW } from '../../lambdas/seedfeed/render/view.js';
import { arnText, idOf, list, statements, synth } from './synth.js';

describe('SeedfeedStack access: IAM, CloudFront and outputs', () => {
  let template: Template;
  let seeds: string;
  let feeds: string;
  let deadLetters: string;
  let distribution: string;

  beforeAll(() => {
    // Grants and routing do not depend on the bundle's bytes, so this file skips esbuild.
    template = synth().template;
    seeds = idOf(template, 'AWS::S3::Bucket', 'IntakeSeeds');
    feeds = idOf(template, 'AWS::S3::Bucket', 'SiteFeeds');
    deadLetters = idOf(template, 'AWS::SQS::Queue', 'IntakeDeadLetters');
    distribution = idOf(template, 'AWS::CloudFront::Distribution', 'SiteCdn');
  });

  it('grants writes only on named objects or key prefixes, never on "*" or a whole bucket', () => {
    // Prepare
    const writes = /^s3:(Put|Delete|Create|Replicate|Restore|Abort)|^(s3|sqs|logs|lambda|iam):\*$|^\*$/;

    // Act
    const granted = [
      ...statements(template, 'AWS::IAM::Policy'),
      ...statements(template, 'AWS::IAM::ManagedPolicy'),
    ];
    const risky = granted.filter(
      (s) =>
        s.Effect === 'Allow' &&
        list(s.Action).some((action) => writes.test(action)) &&
        list(s.Resource).some((resource) => resource === '*' || arnText(resource).endsWith('>/*')),
    );

    // Assess
    expect(statements(template, 'AWS::IAM::ManagedPolicy').length).toBeGreaterThan(0);
    expect(risky).toEqual([]);
  });

  it('lets the function read seeds, keep records under state/ and rejected/, and publish its own files', () => {
    // Prepare
    const bySid = new Map(statements(template, 'AWS::IAM::Policy').map((s) => [s.Sid, s]));
    const resources = (sid: string) => list(bySid.get(sid)?.Resource).map(arnText).sort();

    // Assess
    expect(list(bySid.get('ReadSeeds')?.Action)).toEqual(['s3:GetObject']);
    expect(resources('ReadSeeds')).toEqual([`<${seeds}>/seeds/*`]);
    expect(list(bySid.get('KeepRecords')?.Action).sort()).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(resources('KeepRecords')).toEqual([`<${seeds}>/rejected/*`, `<${seeds}>/state/*`]);
    expect(list(bySid.get('PublishFeeds')?.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(resources('PublishFeeds')).toEqual(
      [
        'archive/*',
        'atom.xml',
        'authors/*',
        'categories/*',
        'feed.json',
        'feeds.opml',
        'index.html',
        'news-sitemap.xml',
        'rss.xml',
      ].map((key) => `<${feeds}>/${key}`),
    );
    // Stale collection files go; the main feeds are only ever replaced.
    expect(list(bySid.get('DeleteStaleCollections')?.Action)).toEqual(['s3:DeleteObject']);
    expect(resources('DeleteStaleCollections')).toEqual(
      ['archive/*', 'authors/*', 'categories/*'].map((key) => `<${feeds}>/${key}`),
    );
    expect(list(bySid.get('TellMissingFromDenied')?.Action)).toEqual(['s3:ListBucket']);
    expect(resources('TellMissingFromDenied')).toEqual([`<${feeds}>`, `<${seeds}>`].sort());
    // No s3:prefix condition: S3's own check for a 404 carries none, so one would turn 404s into 403s.
    expect(bySid.get('TellMissingFromDenied')?.Condition).toBeUndefined();
    const deletes = statements(template, 'AWS::IAM::Policy').filter((s) =>
      list(s.Action).includes('s3:DeleteObject'),
    );
    expect(deletes.map((s) => s.Sid).sort()).toEqual(['DeleteStaleCollections', 'KeepRecords']);
  });

  it('gives uploaders put and delete under seeds/, a listing of seeds/, and never the records', () => {
    // Prepare
    const policy = idOf(template, 'AWS::IAM::ManagedPolicy', 'UploadersPolicy');
    const bySid = new Map(statements(template, 'AWS::IAM::ManagedPolicy').map((s) => [s.Sid, s]));
    const resources = (sid: string) => list(bySid.get(sid)?.Resource).map(arnText).sort();

    // Assess
    expect([...bySid.keys()].sort()).toEqual(['ListSeeds', 'NeverTheRecords', 'PutAndDeleteSeeds']);
    expect(bySid.get('PutAndDeleteSeeds')?.Effect).toBe('Allow');
    expect(list(bySid.get('PutAndDeleteSeeds')?.Action).sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
    expect(resources('PutAndDeleteSeeds')).toEqual([`<${seeds}>/seeds/*`]);
    expect(list(bySid.get('ListSeeds')?.Action)).toEqual(['s3:ListBucket']);
    expect(bySid.get('ListSeeds')?.Condition).toEqual({ StringLike: { 's3:prefix': ['seeds/*'] } });
    expect(bySid.get('NeverTheRecords')?.Effect).toBe('Deny');
    expect(resources('NeverTheRecords')).toEqual([`<${seeds}>/rejected/*`, `<${seeds}>/state/*`]);
    template.hasOutput('UploaderPolicyArn', { Value: { Ref: policy } });
  });

  it('covers every file the renderer publishes with the feed-object grant', () => {
    // Prepare
    const granted = FEED_OBJECTS.map((key) =>
      key.endsWith('*')
        ? (file: string) => file.startsWith(key.slice(0, -1))
        : (file: string) => file === key,
    );

    const collections = (['category/x', 'author/x', 'month/2024-01'] as const).map(collectionPath);

    // Act
    const ungranted = [
      ...publicKeysOf(MAIN_VIEW),
      ...collections.flatMap((path) => publicKeysOf({ kind: 'category', path })),
    ].filter((key) => !granted.some((grants) => grants(key)));

    // Assess
    expect(ungranted).toEqual([]);
  });

  it('serves the feeds bucket only through CloudFront with origin access control, HTTPS and compression', () => {
    // Prepare
    const oac = idOf(template, 'AWS::CloudFront::OriginAccessControl', 'SiteCdn');
    const cachePolicy = idOf(template, 'AWS::CloudFront::CachePolicy', 'SiteHonourCacheControl');
    const headers = idOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', 'SiteHeaders');

    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultRootObject: 'index.html',
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [feeds, 'RegionalDomainName'] },
            OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          Compress: true,
          AllowedMethods: ['GET', 'HEAD'],
          CachePolicyId: { Ref: cachePolicy },
          ResponseHeadersPolicyId: { Ref: headers },
        }),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 60,
        MaxTTL: 365 * 24 * 3600,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: feeds },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('sends a CSP with https-only images, HSTS, nosniff, a referrer policy and open CORS with every file', () => {
    // Prepare
    const directives = CONTENT_SECURITY_POLICY.split('; ');

    // Assess
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain('img-src https: data:');
    expect(directives).toContain('upgrade-insecure-requests');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\bhttp:/);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CorsConfig: Match.objectLike({
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
          AccessControlAllowCredentials: false,
        }),
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 365 * 24 * 3600, Override: true },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        },
      }),
    });
  });

  it('outputs the seeds bucket, an upload command, the feed URLs, the dead-letter queue and the CNAME target', () => {
    // Prepare
    const url = (file: string) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, `/${file}`]],
    });

    // Assess
    template.hasOutput('SeedsBucketName', { Value: { Ref: seeds } });
    template.hasOutput('UploadCommand', {
      Value: { 'Fn::Join': ['', ['aws s3 cp article.txt s3://', { Ref: seeds }, '/seeds/']] },
    });
    template.hasOutput('RssUrl', { Value: url('rss.xml') });
    template.hasOutput('AtomUrl', { Value: url('atom.xml') });
    template.hasOutput('JsonFeedUrl', { Value: url('feed.json') });
    template.hasOutput('IndexUrl', { Value: url('index.html') });
    template.hasOutput('DeadLetterQueueName', { Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } });
    template.hasOutput('DistributionDomainName', { Value: { 'Fn::GetAtt': [distribution, 'DomainName'] } });
  });
});
