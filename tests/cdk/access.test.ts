import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_OBJECTS } from '../../cdk/publisher.js';
import { FEED_FILES } from '../../lambdas/seedfeed/render/settings.js';
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
    const risky = statements(template, 'AWS::IAM::Policy').filter(
      (s) =>
        s.Effect === 'Allow' &&
        list(s.Action).some((action) => writes.test(action)) &&
        list(s.Resource).some((resource) => resource === '*' || arnText(resource).endsWith('>/*')),
    );

    // Assess
    expect(statements(template, 'AWS::IAM::Policy').length).toBeGreaterThan(0);
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
    expect(resources('PublishFeeds')).toEqual(
      ['archive/*', 'atom.xml', 'categories/*', 'feed.json', 'index.html', 'rss.xml'].map(
        (key) => `<${feeds}>/${key}`,
      ),
    );
    expect(list(bySid.get('TellMissingFromDenied')?.Action)).toEqual(['s3:ListBucket']);
    expect(resources('TellMissingFromDenied')).toEqual([`<${feeds}>`, `<${seeds}>`].sort());
  });

  it('covers every file the renderer publishes with the feed-object grant', () => {
    // Prepare
    const granted = FEED_OBJECTS.map((key) =>
      key.endsWith('*')
        ? (file: string) => file.startsWith(key.slice(0, -1))
        : (file: string) => file === key,
    );

    // Act
    const ungranted = Object.values(FEED_FILES)
      .map((file) => file.key)
      .filter((key) => !granted.some((grants) => grants(key)));

    // Assess
    expect(ungranted).toEqual([]);
  });

  it('serves the feeds bucket only through CloudFront with origin access control, HTTPS and compression', () => {
    // Prepare
    const oac = idOf(template, 'AWS::CloudFront::OriginAccessControl', 'SiteCdn');
    const cachePolicy = idOf(template, 'AWS::CloudFront::CachePolicy', 'SiteHonourCacheControl');

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

  it('outputs the seeds bucket, an upload command, the feed URLs and the dead-letter queue', () => {
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
  });
});
