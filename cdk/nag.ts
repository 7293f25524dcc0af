import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { notificationsHandler } from './logs.js';
import { FEED_OBJECTS } from './publisher.js';

export interface Findings {
  seeds: Bucket;
  feeds: Bucket;
  /** The publisher's role: its object grants end in a key prefix wildcard. */
  role: IConstruct;
  function: IConstruct;
  /** The uploaders' managed policy: its grant ends in the seeds prefix wildcard. */
  uploaders: IConstruct;
  distribution: IConstruct;
  prefixes: { seeds: string; state: string; rejected: string };
  customDomain: boolean;
}

/**
 * Every cdk-nag finding this app accepts, each on the narrowest construct and with the reason it is
 * accepted. Anything not listed here fails `cdk synth`.
 */
export function acknowledgeFindings(stack: Stack, findings: Findings): void {
  const seedsArn = arnToken(findings.seeds);
  const feedsArn = arnToken(findings.feeds);
  const { seeds, state, rejected } = findings.prefixes;
  const wildcards: [string, string][] = [
    [
      `${seedsArn}/${seeds}*`,
      'reads seeds: every key under the seeds prefix is a seed, so none can be named',
    ],
    [`${seedsArn}/${state}*`, 'writes its private records: their keys are hashes made at run time'],
    [`${seedsArn}/${rejected}*`, 'writes one rejection report per seed: keys are hashes made at run time'],
    ...FEED_OBJECTS.filter((key) => key.endsWith('*')).map((key): [string, string] => [
      `${feedsArn}/${key}`,
      `publishes one file per ${key.slice(0, -2)} page: names come from the articles`,
    ]),
  ];
  for (const [resource, why] of wildcards) {
    Validations.of(findings.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason: `The function ${why}; a key-prefix wildcard is the narrowest S3 resource that allows it.`,
    });
  }

  // On the role's default policy, where CDK adds the tracing grant, rather than on the whole role.
  const rolePolicy = findings.role.node.tryFindChild('DefaultPolicy') ?? findings.role;
  Validations.of(rolePolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing: Lambda sends the X-Ray segments with the function role, and xray:PutTraceSegments ' +
      'and xray:PutTelemetryRecords take no resource narrower than "*". Those two actions are all it grants.',
  });
  Validations.of(findings.uploaders).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${seedsArn}/${seeds}*]`,
    reason:
      'Uploaders put and delete seeds whose names they choose themselves: the seeds prefix wildcard is the ' +
      'narrowest resource that allows any article, and it reaches neither the records nor the reports.',
  });

  Validations.of(findings.function).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 on purpose: the bundle targets node22 (cdk/bundling.ts) and is tested on it; 22 is an LTS ' +
      'line AWS supports until 2027. Moving to a newer runtime is a deliberate upgrade, not a synth default.',
  });

  Validations.of(findings.distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'Public feeds are meant to be read from anywhere; no country is to be excluded.',
  });
  Validations.of(findings.distribution).acknowledge({
    id: 'AwsSolutions-CFR2',
    reason:
      'Static, read-only files (GET/HEAD only, no origin compute, no forms): a web ACL would filter nothing ' +
      'the cache does not already absorb, at a fixed monthly cost above the rest of the stack. Shield ' +
      'Standard covers network-level attacks.',
  });
  if (!findings.customDomain) {
    Validations.of(findings.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS ' +
        'policy cannot be changed. Setting domainName and certificateArn enforces TLSv1.2_2021.',
    });
  }

  const notifications = notificationsHandler(stack);
  if (notifications) {
    Validations.of(notifications).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own singleton handler that writes the seeds bucket's notification configuration creates this " +
        'role; it runs only while a deployment changes notifications, and the policy only grants writing logs.',
    });
  }
}

/** How cdk-nag names a bucket's ARN in a finding: the bucket's logical ID, not its resolved name. */
function arnToken(bucket: Bucket): string {
  return `<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnResource)}.Arn>`;
}
