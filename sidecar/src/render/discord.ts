/**
 * The `discord` format: an execute-webhook body with one embed. User text is escaped for Discord's markdown, and
 * `allowed_mentions: {parse: []}` keeps "@everyone", "@here" and user or role mentions in a post from pinging.
 */
import type { APIEmbed, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { ChatOptions } from '../../../shared/destinations.ts';
import type { Message } from './message.ts';
import type { SiteInfo } from './site.ts';
import { escapeWithin, excerpt, truncate } from './text.ts';

/** Discord's documented limits (Channel resource, "Embed Limits"; Execute Webhook). */
export const discordLimits = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author together, over all embeds. */
  total: 6000,
  username: 80,
  /** What this format puts in a message, well within those. */
  excerpt: 1000,
} as const;

/**
 * Discord's markdown escaped with backslashes: emphasis, code, spoilers, strike, masked links and `<` (mention
 * and timestamp syntax) anywhere; headings, quotes and list markers at the start of a line. Written here because
 * no maintained package does it without a Discord client (discord.js's `escapeMarkdown` needs all of discord.js).
 */
export function discordEscape(text: string): string {
  return text.replace(/[\\*_~`|[\]()<]/g, '\\$&').replace(/^(\s*)([#>-]|\d+\.)/gm, '$1\\$2');
}

export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export function renderDiscord(
  m: Message,
  site: SiteInfo,
  options: ChatOptions,
): RESTPostAPIWebhookWithTokenJSONBody {
  const embed: APIEmbed = {
    title: escapeWithin(m.title ?? m.headline, discordLimits.title, discordEscape),
    description: escapeWithin(m.headline, 1000, discordEscape),
    color: 0x3b82f6,
    timestamp: m.timestamp,
    footer: { text: escapeWithin(`${site.name} · ${m.event}`, 300, discordEscape) },
  };
  if (m.url) embed.url = m.url;
  if (m.actor) {
    embed.author = { name: truncate(m.actor.name, discordLimits.author) };
    if (m.actor.avatar) embed.author.icon_url = m.actor.avatar;
  }
  if (m.fields.length > 0)
    embed.fields = m.fields.slice(0, discordLimits.fields).map((f) => ({
      name: truncate(f.name, discordLimits.fieldName),
      value: escapeWithin(f.value, 500, discordEscape),
      inline: true,
    }));
  if (m.body) {
    const room = Math.min(discordLimits.description, discordLimits.total - embedLength(embed)) - 2;
    const quoted = escapeWithin(
      excerpt(m.body, discordLimits.excerpt),
      room - embed.description!.length,
      discordEscape,
    );
    if (quoted) embed.description = `${embed.description}\n\n${quoted}`;
  }
  const body: RESTPostAPIWebhookWithTokenJSONBody = { embeds: [embed], allowed_mentions: { parse: [] } };
  if (options.display_name) body.username = truncate(options.display_name, discordLimits.username);
  if (options.avatar_url) body.avatar_url = options.avatar_url;
  return body;
}
