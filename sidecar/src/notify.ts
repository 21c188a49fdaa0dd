/** Tells the WordPress plugin that a webhook was disabled, so it can fire its action and e-mail the site admin. */
import { request } from 'undici';
import type { Logger } from './log.ts';
import { ownRestNamespace } from '../../shared/routes.ts';
import { webhookDisabledNotice, type WebhookDisabledNotice } from '../../shared/site-calls.ts';
import { siteSignature } from './site-signature.ts';

/** The plugin route the sidecar calls, signed (shared/site-calls.ts): the shared secret itself is never sent. */
export const disabledNoticePath = `/wp-json/${ownRestNamespace}${webhookDisabledNotice.path}`;

const maxReason = webhookDisabledNotice.body.shape.reason.maxLength ?? 2000;

/** The signed notice's headers and body; `now` in milliseconds. */
export function signedNotice(
  secret: string,
  notice: WebhookDisabledNotice,
  now = Date.now(),
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(notice);
  const timestamp = Math.floor(now / 1000);
  return {
    headers: {
      'content-type': 'application/json',
      [webhookDisabledNotice.header]: siteSignature(secret, webhookDisabledNotice.purpose, timestamp, body),
    },
    body,
  };
}

/**
 * A best-effort notifier: three tries, five seconds each; a no-op without a site URL. FCWH_SITE_URL is https://,
 * or http:// to a loopback host (config-env.ts), so the notice never crosses a network in clear.
 */
export function createDisabledNotifier(siteUrl: string | undefined, secret: string, log: Logger) {
  return (webhookId: number, reason: string): void => {
    if (!siteUrl) return;
    const url = new URL(disabledNoticePath.slice(1), siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`);
    const notice = { webhook_id: webhookId, reason: reason.slice(0, maxReason) || 'disabled' };
    void (async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          // Signed again per try: a retry after a slow failure must still be within the site's window.
          const { headers, body } = signedNotice(secret, notice);
          const res = await request(url, {
            method: webhookDisabledNotice.method,
            headers,
            body,
            signal: AbortSignal.timeout(5000),
          });
          await res.body.dump();
          if (res.statusCode < 300) return;
          log.warn({ webhookId, status: res.statusCode }, 'WordPress refused the webhook-disabled notice');
        } catch (error) {
          log.warn(
            { webhookId, err: (error as Error).message },
            'could not reach WordPress with the webhook-disabled notice',
          );
        }
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    })();
  };
}
