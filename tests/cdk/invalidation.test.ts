import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { idOf, list, statements, synth } from './synth.js';

describe('SeedfeedStack: the function invalidates its own distribution', () => {
  let template: Template;
  let distribution: string;

  beforeAll(() => {
    template = synth().template;
    distribution = idOf(template, 'AWS::CloudFront::Distribution', 'SiteCdn');
  });

  it('may create invalidations on that distribution only, and do nothing else in CloudFront', () => {
    // Act
    const granted = [
      ...statements(template, 'AWS::IAM::Policy'),
      ...statements(template, 'AWS::IAM::ManagedPolicy'),
    ];
    const cloudFront = granted.filter((s) =>
      list(s.Action).some((action) => action.startsWith('cloudfront:')),
    );

    // Assess
    expect(cloudFront).toHaveLength(1);
    expect(cloudFront[0]).toMatchObject({
      Sid: 'InvalidateCdnCopies',
      Effect: 'Allow',
      Action: 'cloudfront:CreateInvalidation',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudfront::',
            { Ref: 'AWS::AccountId' },
            ':distribution/',
            { Ref: distribution },
          ],
        ],
      },
    });
  });

  it('gives the function the distribution id as a setting', () => {
    // Act
    const publisher = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Runtime === 'nodejs22.x',
    );

    // Assess
    expect(publisher?.Properties.Environment.Variables.SEEDFEED_DISTRIBUTION_ID).toEqual({
      Ref: distribution,
    });
  });

  it('refuses a distribution id given as context, since the stack sets it', () => {
    // Act
    const attempt = () => synth({ distributionId: 'E2QWRUHAPOMQZL' });

    // Assess
    expect(attempt).toThrow('context "distributionId" is set by the stack itself and cannot be given');
  });

  it('passes the chosen cdnInvalidation to the function and refuses an unknown one', () => {
    // Act
    const { template: chosen } = synth({ cdnInvalidation: 'takedowns' });
    const attempt = () => synth({ cdnInvalidation: 'always' });

    // Assess
    const publisher = Object.values(chosen.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Runtime === 'nodejs22.x',
    );
    expect(publisher?.Properties.Environment.Variables.SEEDFEED_CDN_INVALIDATION).toBe('takedowns');
    expect(attempt).toThrow('context "cdnInvalidation" must be "changes" or "takedowns" (got "always")');
  });
});
