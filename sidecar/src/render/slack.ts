/**
 * The `slack` format: an incoming-webhook message with `text` (the notification's fallback) and Block Kit blocks.
 * User text is escaped as Slack asks (`&`, `<`, `>` only), so "<!everyone>" in a post is shown, never a mention.
 */
import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { ChatOptions } from '../../../shared/destinations.ts';
import { lineOf, type Message } from './message.ts';
import type { SiteInfo } from './site.ts';
import { escapeWithin, excerpt } from './text.ts';

/** Slack's documented limits (Block Kit reference; chat.postMessage for `text`). */
export const slackLimits = {
  text: 40_000,
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** What this format puts in a message, well within those: a chat message is a notice, not the post. */
  excerpt: 600,
  title: 250,
} as const;

/** An incoming webhook's body (the `@slack/webhook` arguments this format uses). */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  username?: string;
  icon_url?: string;
  unfurl_links?: boolean;
}

/** Slack's escaping: these three characters and nothing else (docs.slack.dev, "Formatting text"). */
export const slackEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A URL inside `<url|label>`: the characters that would end or split the link are percent-encoded. */
const slackUrl = (url: string) =>
  slackEscape(url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E'));

const quote = (escaped: string) => escaped.replace(/^/gm, '>');

export function renderSlack(m: Message, site: SiteInfo, options: ChatOptions): SlackMessage {
  const title = m.title ? escapeWithin(m.title, slackLimits.title, slackEscape) : null;
  const linked = title && m.url ? `<${slackUrl(m.url)}|${title}>` : title;
  const headline = escapeWithin(m.headline, 1000, slackEscape);
  let head = `${headline}${linked ? `${m.joiner}*${linked}*` : ''}`;
  // A link can be 2 KB before escaping: without it, the section still fits.
  if (head.length > slackLimits.sectionText - 200)
    head = `${headline}${title ? `${m.joiner}*${title}*` : ''}`;
  const room = slackLimits.sectionText - head.length - 1;
  const body = m.body ? excerpt(m.body, slackLimits.excerpt) : '';
  const section: SectionBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: body ? `${head}\n${quote(escapeWithin(body, room - 20, slackEscape))}` : head,
    },
  };
  const blocks: KnownBlock[] = [section];
  if (m.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: m.fields.slice(0, slackLimits.sectionFields).map((f) => ({
        type: 'mrkdwn',
        text: `*${slackEscape(f.name)}*\n${escapeWithin(f.value, 500, slackEscape)}`,
      })),
    });
  }
  const context: ContextBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${escapeWithin(site.name, 200, slackEscape)} · ${m.event}` }],
  };
  if (m.actor?.avatar)
    context.elements.unshift({
      type: 'image',
      image_url: m.actor.avatar,
      alt_text: m.actor.name.slice(0, 100),
    });
  blocks.push(context);
  const text = escapeWithin(lineOf(m), 2000, slackEscape) + (m.url ? ` <${slackUrl(m.url)}>` : '');
  const message: SlackMessage = { text, blocks, unfurl_links: false };
  if (options.display_name) message.username = options.display_name;
  if (options.avatar_url) message.icon_url = options.avatar_url;
  return message;
}
