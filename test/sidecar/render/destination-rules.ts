/**
 * Each destination's documented rules, as checks on a rendered body: what Slack, Discord and SendGrid accept, their
 * limits, and that user text cannot become markup there. Shared by the render tests and the receivers that act as
 * those services.
 */
import type { KnownBlock } from '@slack/types';
import type { APIEmbed, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import { expect } from 'vitest';

const isHttpUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v) && !!new URL(v);

/** Slack: `text` or blocks (else 400 no_text); text 40,000; 50 blocks; section 3,000; 10 fields of 2,000. */
export function slackProblems(body: unknown): string[] {
  const p: string[] = [];
  const m = body as { text?: unknown; blocks?: KnownBlock[] };
  if (typeof m.text !== 'string' || m.text.trim() === '') p.push('no_text');
  if (typeof m.text === 'string' && m.text.length > 40_000) p.push('text over 40,000');
  const blocks = m.blocks ?? [];
  if (blocks.length > 50) p.push('more than 50 blocks');
  const texts: string[] = typeof m.text === 'string' ? [m.text] : [];
  for (const b of blocks) {
    if (b.type === 'section') {
      if (!b.text && !b.fields) p.push('section without text or fields');
      if (b.text && (b.text.text.length < 1 || b.text.text.length > 3000)) p.push('section text not 1-3000');
      if ((b.fields?.length ?? 0) > 10) p.push('more than 10 fields');
      for (const f of b.fields ?? []) if (f.text.length > 2000) p.push('field over 2000');
      if (b.text) texts.push(b.text.text);
      for (const f of b.fields ?? []) texts.push(f.text);
    } else if (b.type === 'context') {
      if (b.elements.length < 1 || b.elements.length > 10) p.push('context elements not 1-10');
      for (const e of b.elements) {
        if (e.type === 'mrkdwn' || e.type === 'plain_text') texts.push(e.text);
        if (e.type === 'image' && !('image_url' in e && isHttpUrl(e.image_url))) p.push('image without url');
      }
    } else p.push(`unexpected block ${b.type}`);
  }
  for (const t of texts) {
    // Outside our own links, no < or > (a quote's > opens a line), and & only in the three entities.
    const bare = t.replace(/<https?:\/\/[^|<>\s]+(\|[^<>]*)?>/g, '').replace(/^>/gm, '');
    if (/[<>]/.test(bare)) p.push(`unescaped < or > in ${JSON.stringify(t.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/.test(t)) p.push('unescaped &');
    if (/<!(everyone|here|channel)/.test(t)) p.push('a broadcast mention');
  }
  return p;
}

export function embedTotal(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Discord: content, embeds, components, file or poll (else 50006); every embed limit; no mention can ping. */
export function discordProblems(body: unknown): string[] {
  const p: string[] = [];
  const m = body as RESTPostAPIWebhookWithTokenJSONBody;
  if (!m.content && !(m.embeds && m.embeds.length) && !m.components && !m.poll)
    p.push('Cannot send an empty message');
  if ((m.content?.length ?? 0) > 2000) p.push('content over 2000');
  if ((m.username?.length ?? 0) > 80) p.push('username over 80');
  if (m.avatar_url !== undefined && !isHttpUrl(m.avatar_url)) p.push('avatar_url not a URL');
  const embeds = m.embeds ?? [];
  if (embeds.length > 10) p.push('more than 10 embeds');
  let total = 0;
  for (const e of embeds) {
    if (!e.title && !e.description && !e.fields?.length) p.push('empty embed');
    if ((e.title?.length ?? 0) > 256) p.push('title over 256');
    if ((e.description?.length ?? 0) > 4096) p.push('description over 4096');
    if ((e.fields?.length ?? 0) > 25) p.push('more than 25 fields');
    for (const f of e.fields ?? []) {
      if (f.name.length < 1 || f.name.length > 256) p.push('field name not 1-256');
      if (f.value.length < 1 || f.value.length > 1024) p.push('field value not 1-1024');
    }
    if ((e.footer?.text.length ?? 0) > 2048) p.push('footer over 2048');
    if ((e.author?.name.length ?? 0) > 256) p.push('author over 256');
    if (e.url !== undefined && !isHttpUrl(e.url)) p.push('embed url not a URL');
    if (e.author?.icon_url !== undefined && !isHttpUrl(e.author.icon_url)) p.push('author icon not a URL');
    if (e.timestamp !== undefined && Number.isNaN(Date.parse(e.timestamp))) p.push('timestamp not ISO 8601');
    total += embedTotal(e);
  }
  if (total > 6000) p.push('embeds over 6000 in total');
  if (!m.allowed_mentions || (m.allowed_mentions.parse ?? ['x']).length !== 0) p.push('mentions may ping');
  return p;
}

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** SendGrid v3 mail/send: personalizations with to, from, subject, text/plain before text/html, none empty. */
export function sendgridProblems(body: unknown): string[] {
  const p: string[] = [];
  const m = body as {
    personalizations?: { to?: { email?: string }[] }[];
    from?: { email?: string };
    subject?: string;
    content?: { type: string; value: string }[];
  };
  if (!m.personalizations?.length) p.push('You must have at least one personalization');
  for (const per of m.personalizations ?? []) {
    if (!per.to?.length) p.push('personalization without to');
    for (const to of per.to ?? []) if (!email.test(to.email ?? '')) p.push('to not an e-mail');
  }
  if (!email.test(m.from?.email ?? '')) p.push('from not an e-mail');
  if (!m.subject || /[\r\n]/.test(m.subject)) p.push('subject empty or multi-line');
  const types = (m.content ?? []).map((c) => c.type);
  if (types[0] !== 'text/plain' || types[1] !== 'text/html') p.push('content not text/plain then text/html');
  for (const c of m.content ?? []) if (!c.value) p.push(`empty ${c.type}`);
  return p;
}

export function expectNoProblems(problems: string[], context: string): void {
  expect(problems, context).toEqual([]);
}

/** Teams workflow webhooks: a message with one Adaptive Card attachment, under 28 KB, links as http(s) URLs. */
export function teamsProblems(body: unknown): string[] {
  const p: string[] = [];
  const m = body as {
    type?: string;
    attachments?: {
      contentType?: string;
      content?: {
        type?: string;
        version?: string;
        body?: { type: string; text: string }[];
        actions?: { type: string; url: string }[];
      };
    }[];
  };
  if (m.type !== 'message') p.push('type is not message');
  const card = m.attachments?.[0];
  if (m.attachments?.length !== 1 || card?.contentType !== 'application/vnd.microsoft.card.adaptive')
    p.push('no adaptive card');
  if (card?.content?.type !== 'AdaptiveCard' || !card.content.version) p.push('not an AdaptiveCard');
  if (!card?.content?.body?.length) p.push('empty card');
  for (const b of card?.content?.body ?? []) if (b.type !== 'TextBlock' || !b.text) p.push('empty TextBlock');
  for (const a of card?.content?.actions ?? []) if (!isHttpUrl(a.url)) p.push('action url not a URL');
  if (Buffer.byteLength(JSON.stringify(body)) > 28 * 1024) p.push('over 28 KB');
  return p;
}
