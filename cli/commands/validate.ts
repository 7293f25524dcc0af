import type { Command } from 'commander';
import { eachLimited } from '../../lambdas/seedfeed/each-limited.js';
import { checkSeed, type Verdict } from '../check.js';
import { collectSeedFiles } from '../files.js';
import { type Io, writeLine } from '../io.js';
import { seedOptions } from '../settings.js';

interface ValidateFlags {
  json?: boolean;
}

/** Reading is the slow part; a bounded pool keeps thousands of seeds from exhausting file handles. */
const READ_CONCURRENCY = 16;

export function defineValidate(command: Command, io: Io, exit: (code: number) => void): Command {
  return command
    .description('check seeds the way the Lambda parses them, without uploading anything')
    .argument('<paths...>', 'seed files, or folders to walk (hidden, swap and partial files are skipped)')
    .option('--json', 'print one JSON document instead of lines')
    .addHelpText(
      'after',
      [
        '',
        'SEEDFEED_MAX_SEED_BYTES and SEEDFEED_LANGUAGE apply as they do in the Lambda.',
        'Exit status: 0 all valid, 1 some rejected, 2 usage error.',
      ].join('\n'),
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const options = seedOptions(io.env);
      const files = await collectSeedFiles(paths);
      const verdicts: Verdict[] = new Array(files.length);
      await eachLimited(files, READ_CONCURRENCY, async (file, index) => {
        verdicts[index] = await checkSeed(file.path, options);
      });
      const rejected = verdicts.filter((v): v is Extract<Verdict, { valid: false }> => !v.valid);
      const summary = { valid: verdicts.length - rejected.length, rejected: rejected.length };
      if (flags.json) {
        writeLine(io.stdout, JSON.stringify({ ...summary, seeds: verdicts }, null, 2));
      } else {
        for (const verdict of rejected) writeLine(io.stdout, `${verdict.file}: ${verdict.problem}`);
        writeLine(io.stdout, `${summary.valid} valid, ${summary.rejected} rejected`);
      }
      exit(rejected.length > 0 ? 1 : 0);
    });
}
