/** Payload formats a webhook can have, and the one a delivery URL suggests. */
import { __ } from '@wordpress/i18n';

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

/**
 * The format a delivery URL implies: Slack incoming webhooks, Discord execute-webhook URLs (stable, ptb. and
 * canary. hosts, discord.com or the older discordapp.com), SendGrid's mail/send; anything else is plain JSON.
 *
 * @param {string} url The URL as typed.
 * @return {'json'|'slack'|'discord'|'sendgrid'} The detected format.
 */
export function detectFormat(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return 'json';
  }
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname;
  if (host === 'hooks.slack.com' && path.startsWith('/services/')) return 'slack';
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host) && /^\/api\/(?:v\d+\/)?webhooks\//.test(path))
    return 'discord';
  if (host === 'api.sendgrid.com' && path.startsWith('/v3/mail/send')) return 'sendgrid';
  return 'json';
}
