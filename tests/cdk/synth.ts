import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../cdk/build.js';
import type { SeedfeedStack } from '../../cdk/stack.js';

const CDK_JSON = new URL('../../cdk.json', import.meta.url);

/** The context `cdk synth` sees from cdk.json (feature flags and defaults), plus a test's own -c values. */
export function cdkContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { context } = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> };
  return { ...context, ...extra };
}

export interface Synthesized {
  app: ReturnType<typeof buildApp>['app'];
  stack: SeedfeedStack;
  template: Template;
}

/**
 * Synthesizes the app as the CLI would. `bundle: false` skips esbuild (the asset is a placeholder),
 * for tests about the template alone. It is CDK's own switch: the CLI uses it to skip stacks it is not deploying.
 */
export function synth(extra: Record<string, unknown> = {}, options: { bundle?: boolean } = {}): Synthesized {
  const context = cdkContext(options.bundle ? extra : { ...extra, 'aws:cdk:bundling-stacks': [] });
  const { app, stack } = buildApp({ context });
  return { app, stack, template: Template.fromStack(stack) };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
  Sid?: string;
}

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The only resource of a type whose logical ID starts with a construct path's IDs. */
export function idOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(', ')}`);
  return ids[0] as string;
}

export function statements(
  template: Template,
  type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy' | 'AWS::S3::BucketPolicy',
): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

/** An S3 ARN as CloudFormation will build it, read back as text: `<Bucket>/key`. */
export function arnText(resource: unknown): string {
  const json = JSON.stringify(resource);
  const bucket = /"Fn::GetAtt":\["(\w+)","Arn"\]/.exec(json)?.[1] ?? json;
  const suffix = /"Arn"\]\},"([^"]*)"\]\]/.exec(json)?.[1] ?? '';
  return `<${bucket}>${suffix}`;
}
