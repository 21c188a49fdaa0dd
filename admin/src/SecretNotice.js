/** A webhook's full secret, shown once (after creation or rotation) with a copy button and how to verify. */
import { Button, Notice } from '@wordpress/components';
import { useCopyToClipboard } from '@wordpress/compose';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

const pending = new Map();

/** Keeps a secret for the next SecretNotice of webhook `id` (the form navigates from "new" to the webhook). */
export function rememberSecret(id, secret) {
  pending.set(id, secret);
}

/** Takes (and forgets) the secret kept for `id`, if any. */
export function takeSecret(id) {
  const secret = pending.get(id) ?? null;
  pending.delete(id);
  return secret;
}

export default function SecretNotice({ secret, onDismiss }) {
  const [copied, setCopied] = useState(false);
  const ref = useCopyToClipboard(secret, () => setCopied(true));
  return (
    <Notice status="success" onRemove={onDismiss} className="fcwh-secret-notice">
      <p>
        <strong>{__('Signing secret (shown only now):', 'fluent-community-webhooks')}</strong>{' '}
        <code className="fcwh-secret" data-testid="fcwh-secret">
          {secret}
        </code>{' '}
        <Button variant="secondary" size="small" ref={ref}>
          {copied
            ? __('Copied', 'fluent-community-webhooks')
            : __('Copy secret', 'fluent-community-webhooks')}
        </Button>
      </p>
      <p>
        {__(
          'Store it in your receiver now: it is not shown again. Every delivery carries X-Fluent-Signature: sha256=<hex HMAC-SHA256 of the raw request body, keyed with this secret>, and the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature, which the standardwebhooks and svix libraries verify with this secret. Compare signatures in constant time and drop repeated webhook-id values.',
          'fluent-community-webhooks',
        )}
      </p>
    </Notice>
  );
}
