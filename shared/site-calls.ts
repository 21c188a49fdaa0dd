/**
 * What the sidecar sends to the WordPress site itself, and how the site knows it came from the sidecar: an
 * HMAC-SHA256 under the shared secret (FCWH_SECRET = FCWH_SIDECAR_SECRET) over a purpose, a timestamp and the
 * payload. The secret itself never leaves the host; PHP checks the signature with hash_equals() within a window.
 */
import { z } from 'zod';

/** How signatures to the site are written and how long they are accepted. */
export const siteSignature = {
  /** A signature's timestamp may differ from the site's clock by at most this, in seconds. */
  toleranceSeconds: 120,
  /** Header value: `t=<unix seconds>,v1=<64 hex digits of HMAC-SHA256(secret, "<purpose>.<t>.<payload>")>`. */
  pattern: '^t=([0-9]{1,12}),v1=([0-9a-f]{64})$',
} as const;

/**
 * Sent with a webhook delivery only when its URL's host is the site's own (FCWH_SITE_URL): actions run while the
 * site serves it are not recorded, so a webhook pointed at the site cannot loop. The payload is the delivery's
 * `webhook-id` header, so the signature is bound to that delivery.
 */
export const loopGuard = {
  header: 'x-fcwh-loop-guard',
  purpose: 'fcwh-loop-guard.v1',
} as const;

/** The notice that the sidecar disabled a webhook, POSTed to the plugin's own namespace. */
export const webhookDisabledNotice = {
  method: 'POST',
  /** Under `/wp-json/<ownRestNamespace>`. */
  path: '/internal/webhook-disabled',
  header: 'x-fcwh-signature',
  /** The payload is the raw request body. */
  purpose: 'fcwh-webhook-disabled.v1',
  body: z
    .object({
      webhook_id: z.number().int().min(1).describe('The webhook the service disabled.'),
      reason: z.string().min(1).max(2000).describe('Why: the last error, or the 410 answer.'),
    })
    .strict(),
} as const;

export type WebhookDisabledNotice = z.infer<typeof webhookDisabledNotice.body>;
