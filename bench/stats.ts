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

/** CPU milliseconds (user + system) spent by this process while `work` ran. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

export { eachLimited } from '../lambdas/seedfeed/limited.js';
