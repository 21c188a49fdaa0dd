/** When to try again: the configured schedule, ±20 % jitter, and the receiver's Retry-After within bounds. Pure. */

export interface BackoffInput {
  /** Attempts made so far (1 after the first failure). */
  attempt: number;
  /** Delay before retry n, in seconds. */
  schedule: readonly number[];
  /** Seconds the receiver asked for (429/503 Retry-After), if any. */
  retryAfter?: number | undefined;
  /** A number in [0, 1). */
  random: number;
  /** Longest Retry-After honoured, in seconds. */
  maxRetryAfter?: number;
}

/** Delay before the next attempt, in seconds. */
export function retryDelay(input: BackoffInput): number {
  const { attempt, schedule, retryAfter, random, maxRetryAfter = 3600 } = input;
  const base = schedule[Math.min(Math.max(attempt, 1), schedule.length) - 1] ?? 60;
  const jittered = base * (0.8 + 0.4 * random);
  if (retryAfter === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfter, maxRetryAfter));
}
