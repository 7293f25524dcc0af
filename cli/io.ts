export interface Output {
  write(text: string): unknown;
  /** Only a terminal gets the redrawn progress bar; pipes and files get one line per seed. */
  isTTY?: boolean;
}

/** What a command touches outside its arguments, so the commands never reach for `process` directly. */
export interface Io {
  stdout: Output;
  stderr: Output;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export function writeLine(output: Output, line = ''): void {
  output.write(`${line}\n`);
}
