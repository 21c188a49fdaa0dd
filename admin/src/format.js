/** Payload formats a webhook can have, the one a delivery URL suggests, and each format's icon. */
import { __ } from '@wordpress/i18n';
import { Icon, comment, commentContent, envelope } from '@wordpress/icons';

export { detectFormat } from './detect-format';

/** Every format the API accepts (shared/destinations.ts), with its label. */
export const formats = [
  { value: 'json', label: __('JSON (signed envelope)', 'fluent-community-webhooks'), short: 'JSON' },
  { value: 'slack', label: __('Slack', 'fluent-community-webhooks') },
  { value: 'discord', label: __('Discord', 'fluent-community-webhooks') },
  { value: 'sendgrid', label: __('SendGrid (e-mail)', 'fluent-community-webhooks') },
  { value: 'template', label: __('Custom template', 'fluent-community-webhooks') },
  { value: 'teams', label: __('Microsoft Teams', 'fluent-community-webhooks') },
];

/** A format's label; `short` gives the list's shorter one where it differs. */
export function formatLabel(value, short = false) {
  const format = formats.find((f) => f.value === value);
  return (short && format?.short) || format?.label || value;
}

// Chat formats get a speech bubble each, e-mail an envelope: the icons the WordPress editor itself uses.
const icons = { slack: comment, discord: commentContent, sendgrid: envelope };

/** The format's icon (decorative: its label is always shown beside it), or nothing. */
export function FormatIcon({ format }) {
  const icon = icons[format];
  if (!icon) return null;
  return <Icon icon={icon} size={20} className="fcwh-format-icon" aria-hidden="true" />;
}
