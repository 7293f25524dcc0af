import type { Node } from 'constructs';
import { type Config, DEPLOYMENT_STAND_INS, readConfig, SETTINGS } from '../lambdas/seedfeed/config.js';
import { unknownKeys } from './context-keys.js';

/** A deployment that cannot work: raised at synth time, before anything reaches AWS. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

/** Knobs of the stack itself; the function never sees them. */
export interface StackOptions {
  batchSize: number;
  batchWindowSeconds: number;
  memorySize: number;
  timeoutSeconds: number;
  /** Most function instances the queue runs at once (the SQS event source's maximum concurrency). */
  maxConcurrency: number;
  domainName?: string;
  certificateArn?: string;
  /** Subscribed to the alert topic, which every alarm notifies. */
  alertEmail?: string;
}

export interface Deployment {
  /**
   * The settings the operator chose, as the raw strings of the context, under the function's variable
   * names: they reach its environment unchanged, and the function parses them, as synth did.
   */
  environment: Record<string, string>;
  /** Every setting with its fallback, as the function will see it (buckets and URLs are placeholders). */
  config: Config;
  options: StackOptions;
}

type SettingKey = keyof typeof SETTINGS;

/** What the stack supplies itself; an operator's context cannot override it. */
const DERIVED = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => SETTINGS[key].derived);
/** Context keys named exactly like the Config properties they set. */
export const SETTING_KEYS = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => !SETTINGS[key].derived);

interface Bounded {
  fallback: number;
  min: number;
  max: number;
}

type NumericOption = 'batchSize' | 'batchWindowSeconds' | 'memorySize' | 'timeoutSeconds' | 'maxConcurrency';

const NUMERIC_OPTIONS: { [K in NumericOption]: Bounded } = {
  // SQS allows up to 10,000 with a batching window; a batch is rendered once, so bigger batches are cheaper.
  batchSize: { fallback: 10, min: 1, max: 10_000 },
  // A short window gathers an upload burst into one regeneration instead of one per seed.
  batchWindowSeconds: { fallback: 5, min: 0, max: 300 },
  memorySize: { fallback: 512, min: 128, max: 10_240 },
  // 6 x timeout must fit SQS's 12-hour visibility limit; 15 minutes is Lambda's own ceiling anyway.
  timeoutSeconds: { fallback: 60, min: 3, max: 900 },
  // Every instance renders the same feed files, so more instances add renders, not feed throughput;
  // 5 drain ~80 seeds/s, far below S3's per-prefix rates (docs/deploy.md). 2 and 1,000 are SQS's bounds.
  maxConcurrency: { fallback: 5, min: 2, max: 1_000 },
};

const TEXT_OPTIONS = ['domainName', 'certificateArn', 'alertEmail'] as const;

/** Every context key the stack reads; any other (CDK's own aside) is a mistake. */
export const CONTEXT_KEYS: readonly string[] = [
  ...Object.keys(SETTINGS),
  ...Object.keys(NUMERIC_OPTIONS),
  ...TEXT_OPTIONS,
];

/**
 * Reads the deployment from CDK context (cdk.json or -c key=value) and validates it with the function's
 * own parsers, so a value the function would refuse at run time fails `cdk synth` instead.
 */
export function readDeployment(node: Node): Deployment {
  const problems: string[] = [];
  const environment: Record<string, string> = {};

  problems.push(...unknownKeys(Object.keys(node.getAllContext()), CONTEXT_KEYS));
  for (const key of DERIVED) {
    if (node.tryGetContext(key) !== undefined)
      problems.push(`context "${key}" is set by the stack itself and cannot be given`);
  }
  for (const key of SETTING_KEYS) {
    const raw = stringOf(node.tryGetContext(key));
    if (raw !== undefined) environment[SETTINGS[key].env] = raw;
  }
  const { config, problems: settingProblems } = readConfig(
    { ...environment, ...DEPLOYMENT_STAND_INS },
    (key) => `context "${key}"`,
  );
  problems.push(...settingProblems);
  const options = readOptions(node, problems);
  if (problems.length > 0) throw invalid(problems);
  return { environment, config, options };
}

function readOptions(node: Node, problems: string[]): StackOptions {
  const numbers = {} as Record<NumericOption, number>;
  for (const [key, bounds] of Object.entries(NUMERIC_OPTIONS) as [NumericOption, Bounded][]) {
    const raw = stringOf(node.tryGetContext(key));
    const value = raw === undefined ? bounds.fallback : Number(raw);
    if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
      problems.push(
        `context "${key}" must be a whole number from ${bounds.min} to ${bounds.max} (got "${raw}")`,
      );
    }
    numbers[key] = value;
  }
  if (numbers.batchSize > 10 && numbers.batchWindowSeconds === 0) {
    problems.push('context "batchSize" above 10 needs a "batchWindowSeconds" of at least 1 (an SQS rule)');
  }

  const domainName = stringOf(node.tryGetContext('domainName'))?.toLowerCase();
  const certificateArn = stringOf(node.tryGetContext('certificateArn'));
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    problems.push('context "domainName" and "certificateArn" go together: give both or neither');
  }
  if (
    domainName !== undefined &&
    !/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName)
  ) {
    problems.push(
      `context "domainName" must be a host name such as "feeds.example.com" (got "${domainName}")`,
    );
  }
  // CloudFront only accepts certificates from us-east-1, whatever region the stack is in.
  if (
    certificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)
  ) {
    problems.push(
      `context "certificateArn" must be an ACM certificate ARN in us-east-1 (got "${certificateArn}")`,
    );
  }
  const alertEmail = readAlertEmail(node, problems);
  return {
    ...numbers,
    ...(domainName !== undefined ? { domainName } : {}),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    ...(alertEmail !== undefined ? { alertEmail } : {}),
  };
}

/** Checked like the feed's own authorEmail: one rule for an e-mail address. */
function readAlertEmail(node: Node, problems: string[]): string | undefined {
  const raw = stringOf(node.tryGetContext('alertEmail'));
  if (raw === undefined) return undefined;
  try {
    return SETTINGS.authorEmail.parse(raw, 'context "alertEmail"');
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** -c gives strings, cdk.json may give numbers; an empty value counts as not given. */
function stringOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.trim() === '' ? undefined : text;
}

function invalid(problems: string[]): ContextError {
  return new ContextError(`invalid seedfeed context:\n- ${problems.join('\n- ')}`);
}

/** The function's environment: the operator's settings plus what only the stack knows. */
export function functionEnvironment(
  deployment: Deployment,
  derived: Pick<Config, 'seedsBucket' | 'feedsBucket' | 'publicUrl'> & { distributionId: string },
): Record<string, string> {
  return {
    ...deployment.environment,
    [SETTINGS.seedsBucket.env]: derived.seedsBucket,
    [SETTINGS.feedsBucket.env]: derived.feedsBucket,
    [SETTINGS.publicUrl.env]: derived.publicUrl,
    [SETTINGS.distributionId.env]: derived.distributionId,
  };
}
