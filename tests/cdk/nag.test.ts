import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build.js';
import { cdkContext, type Synthesized, synth } from './synth.js';

const CUSTOM_DOMAIN = {
  domainName: 'feeds.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c2a9e-1111-2222-3333-444455556666',
};

/** Every acknowledgement in the tree, with the construct it sits on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

function findings(root: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(root)
    .violations.map(
      (violation) =>
        `${violation.ruleName} (${violation.severity}) at ${violation.violatingResources
          .map((resource) => resource.constructPath)
          .join(', ')}`,
    );
}

describe('cdk-nag AwsSolutions', () => {
  let plain: Synthesized;
  let custom: Synthesized;

  beforeAll(() => {
    // Synthesizing already runs the app's own nag plugin, which throws on any finding.
    plain = synth();
    custom = synth(CUSTOM_DOMAIN);
  });

  it('finds no unacknowledged error or warning, with or without a custom domain', () => {
    // Act
    const found = [...findings(plain.app), ...findings(custom.app)];

    // Assess
    expect(found).toEqual([]);
  });

  it('acknowledges each finding on its own construct with a specific reason', () => {
    // Act
    const all = acknowledgements(plain.app);

    // Assess
    expect(all.map((a) => a.id).sort()).toMatchInlineSnapshot(`
      [
        "Annotation::AwsSolutions-CFR1",
        "Annotation::AwsSolutions-CFR2",
        "Annotation::AwsSolutions-CFR4",
        "Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "Annotation::AwsSolutions-IAM5[Resource::*]",
        "Annotation::AwsSolutions-IAM5[Resource::<IntakeSeeds4B99A49B.Arn>/rejected/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<IntakeSeeds4B99A49B.Arn>/seeds/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<IntakeSeeds4B99A49B.Arn>/seeds/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<IntakeSeeds4B99A49B.Arn>/state/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<SiteFeedsAF3931E7.Arn>/archive/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<SiteFeedsAF3931E7.Arn>/authors/*]",
        "Annotation::AwsSolutions-IAM5[Resource::<SiteFeedsAF3931E7.Arn>/categories/*]",
        "Annotation::AwsSolutions-L1",
        "CloudFormation-Validate::W9003",
      ]
    `);
    const on = (id: string) => all.filter((a) => a.id === `Annotation::${id}`).map((a) => a.path);
    expect(on('AwsSolutions-IAM5[Resource::*]')).toEqual(['Seedfeed/Publisher/Role/DefaultPolicy']);
    expect(on('AwsSolutions-IAM5[Resource::<IntakeSeeds4B99A49B.Arn>/seeds/*]').sort()).toEqual([
      'Seedfeed/Publisher/Role',
      'Seedfeed/Uploaders/Policy',
    ]);
    for (const { path, id, reason } of all) {
      expect(path, id).not.toBe('Seedfeed');
      expect(reason.length, `${id} on ${path}`).toBeGreaterThan(60);
    }
    expect(new Set(all.map((a) => a.reason)).size).toBeGreaterThan(all.length / 2);
  });

  it('fails synth when a new resource breaks a rule, so the check cannot silently pass', () => {
    // Prepare: a fresh app, since this one is broken on purpose.
    const { app, stack } = buildApp({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });

    // Act
    new Queue(stack, 'Unencrypted', { enforceSSL: false });

    // Assess
    expect(findings(app).some((finding) => finding.startsWith('AwsSolutions-SQS4'))).toBe(true);
    expect(() => app.synth({ force: true })).toThrow(/AwsSolutions-SQS4/);
  });
});
