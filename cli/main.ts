import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { definePublish } from './commands/publish.js';
import { defineValidate } from './commands/validate.js';
import { describeError, UsageError } from './errors.js';
import { type Io, processIo, writeLine } from './io.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Runs one command line (argv as process.argv has it) and returns the exit status; never exits. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let status: number = EXIT.ok;
  const exit = (code: number) => {
    status = code;
  };
  const program = new Command('seedfeed')
    .description('Check seeds and upload them to the seedfeed seeds bucket.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    // commander would call process.exit; throwing lets main map its outcomes onto our exit statuses.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(seedfeed --help shows the usage)');
  defineValidate(program.command('validate'), io, exit);
  definePublish(program.command('publish'), io, exit);
  try {
    await program.parseAsync([...argv], { from: 'node' });
    return status;
  } catch (error) {
    // Help and --version end with exit code 0; every other commander error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      writeLine(io.stderr, `seedfeed: ${error.message}`);
      return EXIT.usage;
    }
    writeLine(io.stderr, `seedfeed: ${describeError(error)}`);
    return EXIT.failed;
  }
}
