import type { Log, Metrics } from '../../lambdas/seedfeed/ports.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A Log that keeps every structured line, as CloudWatch would receive it. */
export function captureLog(): Log & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      lines.push({ level, message, fields });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Metrics summed by name over the life of the handler. */
export function captureMetrics(): Metrics & { totals: Map<string, number> } {
  const totals = new Map<string, number>();
  const add = (name: string, value: number): void => {
    totals.set(name, (totals.get(name) ?? 0) + value);
  };
  return { totals, count: add, milliseconds: add };
}
