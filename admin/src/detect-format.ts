/** The payload format a delivery URL implies (pure, so that unit tests run it without a browser). */

/** Every format a webhook can have, in the order the form lists them. */
export const formatValues = [
  'json',
  'slack',
  'discord',
  'sendgrid',
  'template',
  'google_chat',
  'teams',
] as const;
export type Format = (typeof formatValues)[number];

/**
 * Slack incoming webhooks, Discord execute-webhook URLs (discord.com or the older discordapp.com, with the ptb. and
 * canary. hosts), SendGrid's mail/send; anything else (or no URL yet) is plain JSON.
 */
export function detectFormat(url: string): 'json' | 'slack' | 'discord' | 'sendgrid' {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'json';
  }
  if (parsed.protocol !== 'https:') return 'json';
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname;
  if (host === 'hooks.slack.com' && path.startsWith('/services/')) return 'slack';
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host) && /^\/api\/(?:v\d+\/)?webhooks\//.test(path))
    return 'discord';
  if (host === 'api.sendgrid.com' && /^\/v3\/mail\/send\/?$/.test(path)) return 'sendgrid';
  return 'json';
}
