/** Turns a stored webhook row into the API's webhook object (decrypting, masking, casting). */
import { eventNames } from '../../shared/events.ts';
import { allEvents, type Webhook } from '../../shared/schemas.ts';
import type { WebhookRow } from './db/webhooks.ts';
import { maskSecret, type Cipher } from './secrets.ts';

const order = new Map<string, number>([allEvents, ...eventNames].map((name, i) => [name, i]));

/** Subscribed events in catalogue order (`*` first). */
export function eventList(csv: string | null): string[] {
  if (!csv) return [];
  return csv.split(',').sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999));
}

/** The API view; `revealSecret` only for the create and rotate answers. */
export function toWebhook(row: WebhookRow, cipher: Cipher, revealSecret = false): Webhook {
  const secret = cipher.decrypt(row.secret_enc);
  return {
    id: Number(row.id),
    name: row.name,
    url: row.url,
    events: eventList(row.events),
    status: row.status,
    secret: revealSecret ? secret : maskSecret(secret),
    headers: JSON.parse(cipher.decrypt(row.headers_enc)) as Record<string, string>,
    retry_count: Number(row.retry_count),
    last_triggered_at: row.last_triggered_at,
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
