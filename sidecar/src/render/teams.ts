/**
 * The `teams` format: a Microsoft Teams workflow-webhook message ("Post to a channel when a webhook request is
 * received"): one Adaptive Card. User text is escaped for the card's markdown, so a post cannot format or link.
 */
import { lineOf, type Message } from './message.ts';
import type { SiteInfo } from './site.ts';
import { escapeWithin, excerpt } from './text.ts';

export const teamsLimits = {
  /** Teams refuses a message over 28 KB; this format stays far below. */
  messageBytes: 28 * 1024,
  excerpt: 1000,
  title: 250,
} as const;

/** The Adaptive Card TextBlock's markdown escaped with backslashes (emphasis, links, list and heading markers). */
export const teamsEscape = (text: string): string =>
  text.replace(/[\\*_~`[\]()<>]/g, '\\$&').replace(/^(\s*)([#-]|\d+\.)/gm, '$1\\$2');

interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Medium';
  isSubtle?: true;
  spacing?: 'Small';
}

export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        type: 'AdaptiveCard';
        version: '1.4';
        body: TextBlock[];
        actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
      };
    },
  ];
}

export function renderTeams(m: Message, site: SiteInfo): TeamsMessage {
  const body: TextBlock[] = [
    {
      type: 'TextBlock',
      text: escapeWithin(lineOf(m), 1000, teamsEscape),
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
    },
  ];
  if (m.body)
    body.push({
      type: 'TextBlock',
      text: escapeWithin(excerpt(m.body, teamsLimits.excerpt), 4000, teamsEscape),
      wrap: true,
    });
  for (const f of m.fields)
    body.push({
      type: 'TextBlock',
      text: `**${teamsEscape(f.name)}**: ${escapeWithin(f.value, 300, teamsEscape)}`,
      wrap: true,
      spacing: 'Small',
    });
  body.push({
    type: 'TextBlock',
    text: escapeWithin(`${site.name} · ${m.event}`, 300, teamsEscape),
    wrap: true,
    isSubtle: true,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(m.url ? { actions: [{ type: 'Action.OpenUrl' as const, title: 'Open', url: m.url }] } : {}),
        },
      },
    ],
  };
}
