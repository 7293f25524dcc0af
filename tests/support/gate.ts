import type { S3Client } from '@aws-sdk/client-s3';

/**
 * Holds one function instance at a chosen point: the first response to a matching request is kept
 * until `open()`, so another instance can run a whole invocation inside that window. This makes a
 * rare interleaving (a run that read an older version finishing last) happen every time.
 */
export class Gate {
  private release: (() => void) | undefined;
  private readonly opened: Promise<void>;
  private held = false;
  readonly reached: Promise<void>;
  private arrive: (() => void) | undefined;

  constructor(private readonly matches: (command: string, input: Record<string, unknown>) => boolean) {
    this.opened = new Promise((resolve) => {
      this.release = resolve;
    });
    this.reached = new Promise((resolve) => {
      this.arrive = resolve;
    });
  }

  install(client: S3Client): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (!this.held && this.matches(context.commandName ?? '', args.input as Record<string, unknown>)) {
          this.held = true;
          this.arrive?.();
          await this.opened;
        }
        return result;
      },
      { step: 'initialize', name: 'gate' },
    );
  }

  open(): void {
    this.release?.();
  }
}
