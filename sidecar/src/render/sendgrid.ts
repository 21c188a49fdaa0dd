/**
 * The `sendgrid` format: a v3 mail/send request with one personalization, the site as sender, a subject from the
 * event and both text/plain and text/html content (text first, as SendGrid requires), user content HTML-escaped.
 */
import type { SendgridOptions } from '../../../shared/destinations.ts';
import { lineOf, type Message } from './message.ts';
import type { SiteInfo } from './site.ts';
import { excerpt, oneLine, truncate } from './text.ts';

export const sendgridLimits = {
  /** RFC 5322's line limit is 998; a subject this long is already unreadable. */
  subject: 250,
  excerpt: 2000,
} as const;

export interface SendgridMail {
  personalizations: { to: { email: string }[] }[];
  from: { email: string; name?: string };
  subject: string;
  content: [{ type: 'text/plain'; value: string }, { type: 'text/html'; value: string }];
}

/** Thrown when the mail has nobody to go to: no `to` option and the site has no admin e-mail. */
export class NoRecipientError extends Error {}

const html = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function renderSendgrid(m: Message, site: SiteInfo, options: SendgridOptions): SendgridMail {
  const to = options.to === undefined ? (site.adminEmail ? [site.adminEmail] : []) : [options.to].flat();
  const from = options.from ?? site.adminEmail;
  if (to.length === 0 || !from)
    throw new NoRecipientError(
      'No recipient: set options.to and options.from (the site has no admin e-mail).',
    );
  const prefix = options.subject_prefix ?? `[${oneLine(site.name)}] `;
  const subject = truncate(oneLine(`${prefix}${lineOf(m)}`), sendgridLimits.subject);
  const body = m.body ? excerpt(m.body, sendgridLimits.excerpt) : null;
  const fields = m.fields.map((f) => `${f.name}: ${f.value}`);
  const text = [lineOf(m), body, fields.join('\n') || null, m.url, `-- \n${site.name} (${site.url})`]
    .filter((part): part is string => !!part)
    .join('\n\n');
  const title = m.title ? (m.url ? `<a href="${html(m.url)}">${html(m.title)}</a>` : html(m.title)) : null;
  const page = [
    `<p>${html(m.headline)}${title ? `${m.joiner}<strong>${title}</strong>` : ''}</p>`,
    body ? `<blockquote>${html(body).replace(/\n/g, '<br>')}</blockquote>` : '',
    fields.length
      ? `<ul>${m.fields.map((f) => `<li>${html(f.name)}: ${html(f.value)}</li>`).join('')}</ul>`
      : '',
    `<p style="color:#666">${html(site.name)} · ${html(m.event)}</p>`,
  ].join('');
  return {
    personalizations: [{ to: to.map((email) => ({ email })) }],
    from: { email: from, name: truncate(oneLine(site.name), 100) },
    subject,
    content: [
      { type: 'text/plain', value: text },
      { type: 'text/html', value: `<!doctype html><html><body>${page}</body></html>` },
    ],
  };
}
