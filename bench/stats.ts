import { readFileSync } from 'node:fs';

/** Summaries of repeated measurements: medians and tails resist the noise of a shared machine. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export class EmptySampleError extends Error {
  override readonly name = 'EmptySampleError';
}

/** Nearest-rank quantile: a value that was really measured, never an interpolation between two. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new EmptySampleError('no measurements to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Milliseconds with enough digits to compare, not more. */
export function ms(value: number): string {
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  return value.toFixed(1);
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/**
 * CPU time of the calling thread alone, in milliseconds, where Linux tells it (`/proc/thread-self`):
 * the process figure also counts V8's helper threads, which compile hot code in the background.
 */
export function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

export interface Timed<T> {
  value: T;
  wallMs: number;
  /** CPU milliseconds (user + system) of the whole process while `work` ran. */
  cpuMs: number;
  /** CPU milliseconds of the main thread alone, or undefined off Linux. */
  mainCpuMs: number | undefined;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const thread = threadCpuMs();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const threadAfter = threadCpuMs();
  return {
    value,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    mainCpuMs: thread === undefined || threadAfter === undefined ? undefined : threadAfter - thread,
  };
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
