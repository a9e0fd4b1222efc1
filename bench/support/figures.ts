/**
 * What every part of `npm run bench` reports: named figures, some with a
 * target. The suite fails when a figure with a target misses it, or could not
 * be measured at all.
 */

export interface Target {
  /** `<=`: at most (latencies, costs); `>=`: at least (throughput ratios). */
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  /** Stable key in the JSON results, e.g. `authorizations.p99_at_half_peak_ms`. */
  id: string;
  /** What the table prints. */
  label: string;
  /** null when the part failed before it could measure this figure. */
  value: number | null;
  unit: string;
  target?: Target;
  /** Context printed under the table (e.g. which concurrency a best figure came from). */
  note?: string;
}

export type Verdict = 'pass' | 'fail' | 'info';

export function verdictOf(figure: Figure): Verdict {
  if (!figure.target) return 'info';
  if (figure.value === null || !Number.isFinite(figure.value)) return 'fail';
  return figure.target.op === '<=' ? (figure.value <= figure.target.value ? 'pass' : 'fail') : figure.value >= figure.target.value ? 'pass' : 'fail';
}

/** Nearest-rank percentile of samples sorted ascending (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/**
 * Times `run` `runs` times after `warmup` untimed calls, one call at a time;
 * the milliseconds of each timed call.
 */
export async function timeRuns(run: () => Promise<unknown>, options: { runs: number; warmup?: number }): Promise<number[]> {
  for (let index = 0; index < (options.warmup ?? 1); index++) await run();
  const samples: number[] = [];
  for (let index = 0; index < options.runs; index++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}
