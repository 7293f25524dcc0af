import { type Command, InvalidArgumentError } from 'commander';
import { SETTINGS } from '../../lambdas/seedfeed/config.js';
import { ConfigError } from '../../lambdas/seedfeed/core/errors.js';
import { createS3Client, type S3Options } from '../../lambdas/seedfeed/storage/client.js';
import { assertDistinctNames, collectSeedFiles } from '../files.js';
import { type Io, writeLine } from '../io.js';
import { httpUrl, wholeNumber } from '../options.js';
import { createProgress } from '../progress.js';
import { type Outcome, publishSeeds } from '../publish-seeds.js';
import { cliConfig, seedOptions } from '../settings.js';

interface PublishFlags {
  bucket: string;
  endpoint?: string;
  prefix?: string;
  region?: string;
  concurrency: number;
  retries: number;
  timeout: number;
  validate?: boolean;
}

const RETRY_DELAY_MS = 250;

export function definePublish(command: Command, io: Io, exit: (code: number) => void): Command {
  return command
    .description('upload seeds to the seeds bucket, where the Lambda publishes them')
    .argument('<paths...>', 'seed files, or folders to walk (hidden, swap and partial files are skipped)')
    .requiredOption('-b, --bucket <name>', 'the seeds bucket', usage('--bucket', SETTINGS.seedsBucket.parse))
    .option('--endpoint <url>', 'an S3-compatible server instead of AWS, such as s3rver', httpUrl)
    .option(
      '--prefix <prefix>',
      'key prefix (default: $SEEDFEED_SEEDS_PREFIX or "seeds/")',
      usage('--prefix', SETTINGS.seedsPrefix.parse),
    )
    .option('--region <region>', 'AWS region (default: $AWS_REGION or us-east-1)')
    .option('-c, --concurrency <n>', 'uploads at a time', wholeNumber(1, 64), 8)
    .option(
      '--retries <n>',
      'retries per seed once the SDK gives up on a network error',
      wholeNumber(0, 10),
      3,
    )
    .option('--timeout <ms>', 'time limit of each try, in milliseconds', wholeNumber(100, 600_000), 30_000)
    .option('--validate', 'parse each seed first; skip and report the ones the Lambda would reject')
    .addHelpText(
      'after',
      [
        '',
        'Keys are the prefix plus the path below the folder given, or the file name for a file.',
        'Credentials come from the AWS SDK chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, …);',
        's3rver accepts S3RVER/S3RVER.',
        'Exit status: 0 all uploaded, 1 some failed or skipped, 2 usage error.',
      ].join('\n'),
    )
    .action(async (paths: string[], flags: PublishFlags) => {
      const prefix = flags.prefix ?? cliConfig(io.env).seedsPrefix;
      const validate = flags.validate ? { validate: seedOptions(io.env) } : {};
      const files = await collectSeedFiles(paths);
      assertDistinctNames(files);
      const client = createS3Client(clientOptions(flags));
      const progress = createProgress(io.stdout, files.length);
      let outcome: Outcome;
      try {
        outcome = await publishSeeds(
          client,
          files,
          {
            bucket: flags.bucket,
            prefix,
            concurrency: flags.concurrency,
            upload: { retries: flags.retries, timeoutMs: flags.timeout, retryDelayMs: RETRY_DELAY_MS },
            ...validate,
          },
          progress,
        );
      } finally {
        progress.done();
        client.destroy();
      }
      report(io, outcome, flags.validate === true);
      exit(outcome.failed.length + outcome.skipped.length > 0 ? 1 : 0);
    });
}

/** The summary on stdout; what went wrong on stderr, sorted so reruns compare line by line. */
function report(io: Io, outcome: Outcome, validated: boolean): void {
  const skipped = validated ? `, skipped ${outcome.skipped.length}` : '';
  writeLine(io.stdout, `uploaded ${outcome.uploaded.length}, failed ${outcome.failed.length}${skipped}`);
  for (const { key, reason } of outcome.failed.sort((a, b) => a.key.localeCompare(b.key)))
    writeLine(io.stderr, `  failed ${key}: ${reason}`);
  for (const { file, problem } of outcome.skipped.sort((a, b) => a.file.localeCompare(b.file)))
    writeLine(io.stderr, `  skipped ${file}: ${problem}`);
}

function clientOptions(flags: PublishFlags): S3Options {
  return {
    ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
  };
}

/** The setting's own check, its ConfigError turned into commander's usage error (exit 2). */
function usage(name: string, parse: (raw: string, name: string) => string): (raw: string) => string {
  return (raw) => {
    try {
      return parse(raw, name);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
