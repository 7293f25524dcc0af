import { type Output, writeLine } from './io.js';

export interface Progress {
  uploaded(key: string): void;
  failed(key: string, reason: string): void;
  skipped(file: string, problem: string): void;
  /** Ends the bar's line so whatever follows starts on a fresh one. */
  done(): void;
}

const BAR_WIDTH = 30;

/** A bar redrawn in place on a terminal; one line per seed elsewhere, which logs and tests can read. */
export function createProgress(output: Output, total: number): Progress {
  return output.isTTY ? new Bar(output, total) : new Lines(output);
}

class Lines implements Progress {
  constructor(private readonly output: Output) {}
  uploaded(key: string): void {
    writeLine(this.output, `uploaded ${key}`);
  }
  failed(key: string, reason: string): void {
    writeLine(this.output, `failed ${key}: ${reason}`);
  }
  skipped(file: string, problem: string): void {
    writeLine(this.output, `skipped ${file}: ${problem}`);
  }
  done(): void {}
}

class Bar implements Progress {
  private counts = { uploaded: 0, failed: 0, skipped: 0 };
  private width = 0;

  constructor(
    private readonly output: Output,
    private readonly total: number,
  ) {
    this.draw();
  }
  uploaded(): void {
    this.counts.uploaded++;
    this.draw();
  }
  failed(): void {
    this.counts.failed++;
    this.draw();
  }
  skipped(): void {
    this.counts.skipped++;
    this.draw();
  }
  done(): void {
    this.output.write('\n');
  }

  private draw(): void {
    const { uploaded, failed, skipped } = this.counts;
    const finished = uploaded + failed + skipped;
    const filled = this.total === 0 ? BAR_WIDTH : Math.round((finished / this.total) * BAR_WIDTH);
    const problems = [failed ? `${failed} failed` : '', skipped ? `${skipped} skipped` : '']
      .filter(Boolean)
      .join(', ');
    const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${finished}/${this.total}${problems ? ` (${problems})` : ''}`;
    // Padding over the previous line instead of an ANSI erase keeps this working on dumb terminals.
    this.output.write(`\r${line.padEnd(this.width)}`);
    this.width = line.length;
  }
}
