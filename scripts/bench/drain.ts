/** Watches deliveries being recorded (one attempt row per 2xx, written in the same commit) until a count is reached. */
import type mysql from 'mysql2/promise';

export interface DrainResult {
  /** Deliveries per second between 10 % and 90 % of the work (the steady part). */
  steadyRate: number;
  /** Seconds from `startedAt` until every expected delivery was recorded. */
  totalSeconds: number;
  /** Deliveries recorded when watching stopped. */
  recorded: number;
}

async function attemptsSoFar(pool: mysql.Pool): Promise<number> {
  const [rows] = (await pool.query('SELECT COALESCE(MAX(id), 0) AS n FROM wp_fcwh_attempts')) as never as [
    [{ n: number }],
  ];
  return Number(rows[0].n);
}

/** The attempt id high-water mark (so a later drain counts only its own rows). */
export const attemptMark = attemptsSoFar;

/**
 * Polls every `everyMs` until `expected` attempts beyond `mark` are recorded, or `timeoutMs` passes (then it
 * returns what it saw; the caller decides whether a short count is a failure). `startedAt` is performance.now().
 */
export async function watchDrain(
  pool: mysql.Pool,
  mark: number,
  expected: number,
  startedAt: number,
  timeoutMs: number,
  everyMs = 100,
): Promise<DrainResult> {
  let t10 = 0;
  let t90 = 0;
  let recorded = 0;
  const deadline = startedAt + timeoutMs;
  while (performance.now() < deadline) {
    recorded = (await attemptsSoFar(pool)) - mark;
    const now = performance.now();
    if (!t10 && recorded >= expected * 0.1) t10 = now;
    if (!t90 && recorded >= expected * 0.9) t90 = now;
    if (recorded >= expected) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return {
    steadyRate: t10 && t90 > t10 ? (expected * 0.8) / ((t90 - t10) / 1000) : 0,
    totalSeconds: (performance.now() - startedAt) / 1000,
    recorded,
  };
}
