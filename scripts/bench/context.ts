/** What every figure module is given: the servers, the mode, and a progress logger. */
import type { BenchReceiver } from './receiver.ts';
import type { BenchStack } from './stack.ts';

export interface BenchContext {
  readonly stack: BenchStack;
  /** The receiver for deliveries (HTTPS unless `--http`). */
  readonly receiver: BenchReceiver;
  /** Fewer runs and smaller sizes (`--quick`). */
  readonly quick: boolean;
  /** Repetitions per figure (the medians are reported). */
  readonly runs: number;
  log(message: string): void;
}

/** One figure's result: the judged values, the targets, and whatever else was measured (kept in the JSON). */
export interface FigureResult {
  id: string;
  title: string;
  /** Rows of the table: what, measured, target, met. */
  rows: FigureRow[];
  /** Everything else measured (per-run values, CPU, settings), for bench-results/latest.json. */
  details: Record<string, unknown>;
}

export interface FigureRow {
  what: string;
  value: string;
  target: string;
  /** null when there is no target (context figures). */
  met: boolean | null;
}

export const fmt = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
