/**
 * A stored webhook as the API shows it. Lists carry no credential: the URL as scheme and host, header values and
 * the secret masked. One webhook's own answers (GET, PUT) show its URL and headers whole, for editing; the secret
 * is whole only in the create and rotate answers. A webhook whose values no longer open is still shown, masked,
 * with `last_error` saying why: the API never answers 500 for it.
 */
import { eventNames } from '../../shared/events.ts';
import { allEvents, type Webhook } from '../../shared/schemas.ts';
import type { WebhookRow } from './db/webhooks.ts';
import { openSealed, unreadableMessage } from './sealed-webhook.ts';
import { maskSecret, type Cipher } from './secrets.ts';

const order = new Map<string, number>([allEvents, ...eventNames].map((name, i) => [name, i]));

/** Subscribed events in catalogue order (`*` first). */
export function eventList(csv: string | null): string[] {
  if (!csv) return [];
  return csv.split(',').sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999));
}

/** `list`: everything masked; `one`: URL and headers whole; `reveal`: the secret whole too. */
export type AnswerView = 'list' | 'one' | 'reveal';

/** Shown for a header value in lists (names stay, so an administrator sees which headers are set). */
export const maskedHeaderValue = '...';

export function toWebhook(row: WebhookRow, cipher: Cipher, view: AnswerView): Webhook {
  const opened = openSealed(row, cipher);
  const headers = opened.headers ?? {};
  return {
    id: Number(row.id),
    name: row.name,
    url: view === 'list' || opened.url === undefined ? row.url : opened.url,
    events: eventList(row.events),
    status: row.status,
    secret:
      opened.secret === undefined ? '...' : view === 'reveal' ? opened.secret : maskSecret(opened.secret),
    headers:
      view === 'list'
        ? Object.fromEntries(Object.keys(headers).map((name) => [name, maskedHeaderValue]))
        : headers,
    retry_count: Number(row.retry_count),
    last_triggered_at: row.last_triggered_at,
    last_error: opened.unreadable.length ? unreadableMessage(opened.unreadable) : row.last_error,
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
