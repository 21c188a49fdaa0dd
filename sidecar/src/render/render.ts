/**
 * The render stage, between claim and sign: a delivery's stored payload (the spec's envelope) becomes the bytes
 * its destination accepts. Pure and deterministic: the same payload, settings and site give the same bytes.
 */
import {
  defaultContentType,
  type ChatOptions,
  type Format,
  type FormatOptions,
  type SendgridOptions,
} from '../../../shared/destinations.ts';
import { renderDiscord } from './discord.ts';
import { messageOf } from './message.ts';
import { NoRecipientError, renderSendgrid } from './sendgrid.ts';
import type { SiteInfo } from './site.ts';
import { renderSlack } from './slack.ts';
import { renderTeams } from './teams.ts';
import { renderTemplate, TemplateError } from './template.ts';

/** What a webhook's settings say about its bodies. */
export interface Destination {
  readonly id: number;
  readonly name: string;
  readonly format: Format;
  readonly template: string | null;
  /** The template's Content-Type; other formats have their own. */
  readonly contentType: string | null;
  readonly options: FormatOptions;
}

export interface Rendered {
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A payload this destination cannot be sent (a template that fails on it, a mail without recipient): permanent. */
export class RenderError extends Error {
  constructor(
    message: string,
    /** Which setting is at fault, as the API's error code. */
    readonly code: 'invalid_template' | 'invalid_options',
  ) {
    super(message);
  }
}

interface Envelope {
  event: string;
  timestamp: string;
  data: unknown;
  xprofile: unknown;
}

/** The Content-Type a destination's bodies are sent with. */
export function contentTypeOf(d: Pick<Destination, 'format' | 'contentType'>): string {
  return d.format === 'template' ? (d.contentType ?? defaultContentType) : defaultContentType;
}

/** `payload` is the stored envelope, exactly as the `json` format sends it. */
export function render(d: Destination, payload: string, site: SiteInfo): Rendered {
  if (d.format === 'json') return { body: payload, contentType: defaultContentType };
  const envelope = JSON.parse(payload) as Envelope;
  try {
    switch (d.format) {
      case 'template':
        return {
          body: renderTemplate(d.template ?? '', {
            ...envelope,
            site: { name: site.name, url: site.url },
            webhook: { id: d.id, name: d.name },
          }),
          contentType: contentTypeOf(d),
        };
      case 'slack':
        return json(renderSlack(messageOf(envelope), site, d.options as ChatOptions));
      case 'discord':
        return json(renderDiscord(messageOf(envelope), site, d.options as ChatOptions));
      case 'sendgrid':
        return json(renderSendgrid(messageOf(envelope), site, d.options as SendgridOptions));
      case 'teams':
        return json(renderTeams(messageOf(envelope), site));
    }
  } catch (error) {
    if (error instanceof TemplateError)
      throw new RenderError(`Template failed: ${error.message}`, 'invalid_template');
    if (error instanceof NoRecipientError) throw new RenderError(error.message, 'invalid_options');
    throw error;
  }
}

const json = (value: unknown): Rendered => ({ body: JSON.stringify(value), contentType: defaultContentType });

/**
 * The URL a delivery is sent to. Discord's gets `wait=true`: without it Discord answers 204 before it has stored
 * the message, so a message it then drops is never reported; with it, a refusal is an error answer.
 */
export function targetUrl(format: Format, url: string): string {
  if (format !== 'discord') return url;
  const u = new URL(url);
  u.searchParams.set('wait', 'true');
  return u.href;
}
