import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build.js';
import { ContextError, SETTING_KEYS } from '../../cdk/context.js';
import { SETTINGS } from '../../lambdas/seedfeed/config.js';
import { cdkContext, synth } from './synth.js';

function synthError(context: Record<string, unknown>): unknown {
  try {
    buildApp({ context: cdkContext({ ...context, 'aws:cdk:bundling-stacks': [] }) });
  } catch (error) {
    return error;
  }
  return undefined;
}

function publisherEnv(template: Template): Record<string, unknown> {
  const publisher = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (fn) => fn.Properties.Runtime === 'nodejs22.x',
  );
  return publisher?.Properties.Environment.Variables ?? {};
}

describe('context validation', () => {
  it('fails synth on a bad itemsPerFeed, naming the key and the allowed range', () => {
    // Act
    const error = synthError({ itemsPerFeed: '0' });

    // Assess
    expect(error).toBeInstanceOf(ContextError);
    expect((error as Error).message).toContain(
      'context "itemsPerFeed" must be a whole number from 1 to 900 (got "0")',
    );
  });

  it('lists every problem at once, settings and stack options alike', () => {
    // Act
    const error = synthError({
      language: 'not a language',
      siteUrl: 'ftp://example.com',
      batchSize: 50,
      batchWindowSeconds: 0,
      memorySize: 64,
      maxConcurrency: 1,
      domainName: 'feeds.example.com',
    });

    // Assess
    const message = (error as Error).message;
    expect(message).toContain('context "language" must be a language tag');
    expect(message).toContain('context "siteUrl" must be an http(s) URL');
    expect(message).toContain('"batchSize" above 10 needs a "batchWindowSeconds" of at least 1');
    expect(message).toContain('context "memorySize" must be a whole number from 128 to 10240 (got "64")');
    expect(message).toContain('context "maxConcurrency" must be a whole number from 2 to 1000 (got "1")');
    expect(message).toContain('"domainName" and "certificateArn" go together');
  });

  it('applies the function rules across settings: a records prefix inside the seeds prefix fails', () => {
    // Act
    const error = synthError({ statePrefix: 'seeds/state/' });

    // Assess
    expect(error).toBeInstanceOf(ContextError);
    expect((error as Error).message).toContain('lies inside "seeds/"');
  });

  it('refuses values only the stack may set, and certificates CloudFront cannot use', () => {
    // Act
    const error = synthError({
      feedsBucket: 'my-feeds',
      domainName: 'feeds.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    });

    // Assess
    const message = (error as Error).message;
    expect(message).toContain('context "feedsBucket" is set by the stack itself');
    expect(message).toContain('"certificateArn" must be an ACM certificate ARN in us-east-1');
  });

  it('reads exactly the operator settings of the one settings definition', () => {
    // Prepare
    const operator = Object.entries(SETTINGS)
      .filter(([, setting]) => !('derived' in setting && setting.derived))
      .map(([key]) => key);

    // Assess
    expect([...SETTING_KEYS].sort()).toEqual(operator.sort());
    expect(SETTING_KEYS).toContain('itemsPerFeed');
    expect(SETTING_KEYS).not.toContain('seedsBucket');
  });
});

describe('a deployment with its own settings, batching and domain', () => {
  let template: Template;

  beforeAll(() => {
    template = synth({
      feedTitle: 'Nouvelles',
      language: 'fr',
      itemsPerFeed: '120',
      seedsPrefix: 'incoming/',
      batchSize: '100',
      batchWindowSeconds: '20',
      memorySize: '1024',
      timeoutSeconds: '120',
      maxConcurrency: '20',
      domainName: 'Feeds.Example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c2a9e-1111-2222-3333-444455556666',
    }).template;
  });

  it('passes the settings to the function under their environment names', () => {
    // Act
    const env = publisherEnv(template);

    // Assess
    expect(env).toMatchObject({
      [SETTINGS.feedTitle.env]: 'Nouvelles',
      [SETTINGS.language.env]: 'fr',
      [SETTINGS.itemsPerFeed.env]: '120',
      [SETTINGS.seedsPrefix.env]: 'incoming/',
      [SETTINGS.publicUrl.env]: 'https://feeds.example.com/',
    });
  });

  it('filters notifications and grants by the configured seeds prefix', () => {
    // Act
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));
    const filters = JSON.stringify(notifications[0]?.Properties.NotificationConfiguration);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    // Assess
    expect(filters.match(/"Value":"incoming\/"/g)).toHaveLength(2);
    expect(filters).not.toContain('seeds/');
    expect(policies).toContain('/incoming/*');
    expect(policies).not.toContain('/seeds/*');
  });

  it('sizes batching, concurrency, memory, timeout and visibility from the stack options', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 120 });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 120 });
  });

  it('serves the custom domain with its certificate and TLS 1.2 at least', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['feeds.example.com'],
        ViewerCertificate: {
          AcmCertificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/0f3c2a9e-1111-2222-3333-444455556666',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      },
    });
    template.hasOutput('RssUrl', { Value: 'https://feeds.example.com/rss.xml' });
  });
});
