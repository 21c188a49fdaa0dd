/** Tells the WordPress plugin that a webhook was disabled, so it can fire its action and e-mail the site admin. */
import { request } from 'undici';
import type { Logger } from './log.ts';
import { ownRestNamespace } from '../../shared/routes.ts';

/** The plugin route the sidecar calls (shared secret as Bearer token). */
export const disabledNoticePath = `/wp-json/${ownRestNamespace}/internal/webhook-disabled`;

/** A best-effort notifier: three tries, five seconds each; a no-op without a site URL. */
export function createDisabledNotifier(siteUrl: string | undefined, secret: string, log: Logger) {
  return (webhookId: number, reason: string): void => {
    if (!siteUrl) return;
    const url = new URL(disabledNoticePath, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`);
    void (async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          const res = await request(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
            body: JSON.stringify({ webhook_id: webhookId, reason }),
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
