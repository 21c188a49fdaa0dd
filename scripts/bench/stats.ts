/** Small statistics for benchmark samples: percentiles (nearest rank), medians, rates. */

/** The `p`-th percentile (0..100) of `values` by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds to `digits` decimals (for tables and JSON). */
export const round = (value: number, digits = 2): number =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value;

/** Per-field medians of several runs' numeric results (fields missing in a run are ignored for it). */
export function medianOf<T extends Record<string, number>>(runs: readonly T[]): T {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const key of keys) {
    out[key] = median(runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number'));
  }
  return out as T;
}
