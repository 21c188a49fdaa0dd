/**
 * The payload format a delivery URL implies (pure, so that unit tests run it without a browser). The API's own rule
 * is shared/destinations.ts's detectFormat; importing it would bundle zod, so this one is held to it by
 * test/admin/detect-format.test.ts.
 */

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
  // A trailing dot names the same host (the API strips it too).
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const path = parsed.pathname;
  if (host === 'hooks.slack.com' && path.startsWith('/services/')) return 'slack';
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host) && /^\/api\/(?:v\d+\/)?webhooks\//.test(path))
    return 'discord';
  if (host === 'api.sendgrid.com' && /^\/v3\/mail\/send\/?$/.test(path)) return 'sendgrid';
  return 'json';
}
