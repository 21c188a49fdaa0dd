/**
 * The test route's limit per webhook: each test makes the sidecar send a request to the webhook's URL at once,
 * so one webhook must not become a request cannon or a probe that answers as fast as it is asked.
 */
import { ApiError } from '../errors.ts';

export interface TestRateLimit {
  /** Spends one test of `webhookId` at `now`, or throws rate_limited (429) naming the seconds to wait. */
  take(webhookId: number, now: Date): void;
}

/**
 * A token bucket per webhook: `burst` tests at once, then one every `refillSeconds`. Written here rather than
 * taken from a rate-limit middleware: those key on the client, while this keys on the webhook and lives in the
 * one handler; it is a dozen lines. Per process: with several sidecars each has its own buckets.
 */
export function createTestRateLimit(burst = 5, refillSeconds = 12, maxWebhooks = 10_000): TestRateLimit {
  const buckets = new Map<number, { tokens: number; at: number }>();
  return {
    take(webhookId, now) {
      const at = now.getTime() / 1000;
      const last = buckets.get(webhookId);
      const tokens = last ? Math.min(burst, last.tokens + (at - last.at) / refillSeconds) : burst;
      if (tokens < 1) {
        const wait = Math.ceil((1 - tokens) * refillSeconds);
        throw new ApiError(
          'rate_limited',
          `Too many tests of this webhook: try again in ${wait} second${wait === 1 ? '' : 's'}.`,
          { retry_after: wait },
        );
      }
      buckets.delete(webhookId); // re-inserted last: the Map's first key is then the least recently tested
      if (buckets.size >= maxWebhooks) buckets.delete(buckets.keys().next().value!);
      buckets.set(webhookId, { tokens: tokens - 1, at });
    },
  };
}
