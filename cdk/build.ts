import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployment } from './context.js';
import { SeedfeedStack } from './stack.js';

export const STACK_NAME = 'Seedfeed';

/**
 * The whole app. cdk-nag runs as a validation plugin, so any unacknowledged finding, warning or error,
 * fails `cdk synth` and `cdk deploy` before anything reaches AWS.
 */
export function buildApp(props: AppProps = {}): { app: App; stack: SeedfeedStack } {
  const app = new App(props);
  const deployment = readDeployment(app.node);
  // No env: the stack is environment-agnostic, so synth needs neither an account nor credentials.
  const stack = new SeedfeedStack(app, STACK_NAME, {
    deployment,
    description: 'seedfeed: seeds in S3 become RSS, Atom and JSON feeds on CloudFront',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
