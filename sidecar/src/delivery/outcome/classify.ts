/**
 * What an attempt's answer means: delivered, try again later (when, by the backoff), or give up (the retry budget
 * is spent, the webhook is inactive, or the receiver answered 410 Gone, which also disables the webhook).
 */
import type { Format } from '../../../../shared/destinations.ts';
import { judgeAnswer, type Service } from '../../render/answers.ts';
import type { SendResult } from '../send/exchange.ts';
import { retryDelay } from './backoff.ts';

export type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; delaySeconds: number }
  | { kind: 'give_up'; status: number | null; error: string; disableWebhook: boolean };

export interface RetryPolicy {
  /** Delays before retry n, in seconds (FCWH_RETRY_SCHEDULE). */
  schedule: readonly number[];
  /** A number in [0, 1) for the jitter. */
  random: () => number;
}

/** A delivery's attempt count and budget, as claimed. */
export interface Budget {
  /** Attempts made, this one included. */
  attempts: number;
  /** Retries allowed after the first attempt. */
  retry_count: number;
}

/** The outcome of a delivery to an inactive webhook: not sent, given up. */
export const inactiveWebhook: Outcome = {
  kind: 'give_up',
  status: null,
  error: 'Webhook is inactive; delivery skipped.',
  disableWebhook: false,
};

/**
 * The outcome of a delivery whose webhook's sealed values do not open (another key, or a row altered in the
 * database): not sent, never retried (the same values fail again), and the webhook is deactivated.
 */
export function unreadableWebhook(error: string): Outcome {
  return { kind: 'give_up', status: null, error, disableWebhook: true };
}

/** The service a webhook talks to, when it is one whose answers are known (render/answers.ts). */
export interface DestinationKind {
  service: Service | null;
  format: Format;
}

/**
 * Classifies one answer: delivered, retry (with its delay), or give up. A known service's permanent refusal gives
 * up at once with its reason (a Discord 404 disables, as a 410 does); its 429 is retried after the wait it asked
 * for (Discord's `retry_after`, Slack's Retry-After), not after the schedule's next step.
 */
export function classify(
  result: SendResult,
  budget: Budget,
  policy: RetryPolicy,
  destination: DestinationKind = { service: null, format: 'json' },
): Outcome {
  if (result.ok) return { kind: 'delivered', status: result.status };
  const verdict = judgeAnswer(destination.service, destination.format, result.status, result.excerpt);
  if (verdict?.permanent)
    return { kind: 'give_up', status: result.status, error: verdict.error, disableWebhook: verdict.disable };
  if (result.status === 410) {
    return {
      kind: 'give_up',
      status: 410,
      error: 'HTTP 410 Gone: the receiver asked to stop; webhook disabled.',
      disableWebhook: true,
    };
  }
  const error = verdict?.error ?? result.error;
  const attempts = Number(budget.attempts);
  if (attempts >= Number(budget.retry_count) + 1)
    return { kind: 'give_up', status: result.status, error, disableWebhook: false };
  const asked = verdict?.retryAfterSeconds ?? result.retryAfter;
  if (destination.service !== null && result.status === 429 && asked !== undefined)
    return {
      kind: 'retry',
      status: 429,
      error,
      delaySeconds: Math.min(asked, 3600) * (1 + 0.1 * policy.random()),
    };
  const delaySeconds = retryDelay({
    attempt: attempts,
    schedule: policy.schedule,
    retryAfter: result.retryAfter,
    random: policy.random(),
  });
  return { kind: 'retry', status: result.status, error, delaySeconds };
}
