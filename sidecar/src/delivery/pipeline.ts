/** One delivery attempt: sign, send, and decide what it means (delivered, retry later, or give up). */
import type { ClaimedDelivery } from './claim/claimed.ts';
import type { Cipher } from '../secrets.ts';
import { signingSecrets } from '../webhook-view.ts';
import type { WebhookRow } from '../db/webhooks.ts';
import { retryDelay } from './outcome/backoff.ts';
import { attemptHeaders, loggableHeaders } from './send/headers.ts';
import type { Sender } from './send/sender.ts';

export type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; delaySeconds: number }
  | { kind: 'give_up'; status: number | null; error: string; disableWebhook: boolean };

export interface AttemptResult {
  delivery: ClaimedDelivery;
  outcome: Outcome;
  startedAt: Date;
  ms: number;
  excerpt: string;
  requestHeaders: string;
}

export interface AttemptDeps {
  sender: Sender;
  cipher: Cipher;
  schedule: readonly number[];
  now: () => Date;
  random: () => number;
}

/**
 * A cipher that decrypts each stored value once (webhook secrets and custom headers are the same for every delivery
 * of a webhook; AES-GCM per delivery shows at thousands of deliveries per second). Bounded: cleared at `max`.
 */
export function memoDecrypt(cipher: Cipher, max = 1000): Cipher {
  const plain = new Map<string, string>();
  return {
    encrypt: (value) => cipher.encrypt(value),
    decrypt(stored) {
      let value = plain.get(stored);
      if (value === undefined) {
        if (plain.size >= max) plain.clear();
        value = cipher.decrypt(stored);
        plain.set(stored, value);
      }
      return value;
    },
  };
}

const parsedHeaders = new Map<string, Readonly<Record<string, string>>>();
/** A webhook's custom headers from their JSON, parsed once per distinct value (bounded like memoDecrypt). */
function customHeaders(json: string): Readonly<Record<string, string>> {
  let headers = parsedHeaders.get(json);
  if (!headers) {
    if (parsedHeaders.size >= 1000) parsedHeaders.clear();
    headers = Object.freeze(JSON.parse(json) as Record<string, string>);
    parsedHeaders.set(json, headers);
  }
  return headers;
}

/** Sends one claimed delivery and classifies the result. Never throws for HTTP or network failures. */
export async function runAttempt(d: ClaimedDelivery, deps: AttemptDeps): Promise<AttemptResult> {
  const startedAt = deps.now();
  if (d.webhook_status !== 'active') {
    const outcome: Outcome = {
      kind: 'give_up',
      status: null,
      error: 'Webhook is inactive; delivery skipped.',
      disableWebhook: false,
    };
    return { delivery: d, outcome, startedAt, ms: 0, excerpt: '', requestHeaders: '{}' };
  }
  const { secret, previous } = signingSecrets(d as unknown as WebhookRow, deps.cipher, startedAt);
  const custom = customHeaders(deps.cipher.decrypt(d.headers_enc));
  const headers = attemptHeaders({
    event: d.event,
    msgId: d.uid,
    body: d.payload,
    webhookId: Number(d.webhook_id),
    customHeaders: custom,
    secret,
    previousSecret: previous,
    timestamp: Math.floor(startedAt.getTime() / 1000),
  });
  const result = await deps.sender.send(d.url, headers, d.payload);
  const base = {
    delivery: d,
    startedAt,
    ms: result.ms,
    excerpt: result.excerpt,
    requestHeaders: JSON.stringify(loggableHeaders(headers, Object.keys(custom))),
  };
  if (result.ok) return { ...base, outcome: { kind: 'delivered', status: result.status } };
  if (result.status === 410) {
    return {
      ...base,
      outcome: {
        kind: 'give_up',
        status: 410,
        error: 'HTTP 410 Gone: the receiver asked to stop; webhook disabled.',
        disableWebhook: true,
      },
    };
  }
  const attemptsAllowed = Number(d.retry_count) + 1;
  if (Number(d.attempts) >= attemptsAllowed) {
    return {
      ...base,
      outcome: { kind: 'give_up', status: result.status, error: result.error, disableWebhook: false },
    };
  }
  const delaySeconds = retryDelay({
    attempt: Number(d.attempts),
    schedule: deps.schedule,
    retryAfter: result.retryAfter,
    random: deps.random(),
  });
  return { ...base, outcome: { kind: 'retry', status: result.status, error: result.error, delaySeconds } };
}
