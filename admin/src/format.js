/** Payload formats a webhook can have, and the one a delivery URL suggests. */
import { __ } from '@wordpress/i18n';

export { detectFormat } from './detect-format';

/** Every format the API knows (or will: the render/ formats of the destinations work), with its label. */
export const formats = [
  { value: 'json', label: __('JSON (signed envelope)', 'fluent-community-webhooks'), short: 'JSON' },
  { value: 'slack', label: __('Slack', 'fluent-community-webhooks') },
  { value: 'discord', label: __('Discord', 'fluent-community-webhooks') },
  { value: 'sendgrid', label: __('SendGrid (e-mail)', 'fluent-community-webhooks') },
  { value: 'template', label: __('Custom template', 'fluent-community-webhooks') },
  { value: 'google_chat', label: __('Google Chat', 'fluent-community-webhooks') },
  { value: 'teams', label: __('Microsoft Teams', 'fluent-community-webhooks') },
];

/** A format's label; `short` gives the list's shorter one where it differs. */
export function formatLabel(value, short = false) {
  const format = formats.find((f) => f.value === value);
  return (short && format?.short) || format?.label || value;
}
