/**
 * The request one webhook would send for one payload, outside the delivery path: the test route sends it, the
 * preview routes show it. Rendered, then signed over exactly the rendered bytes.
 */
import { randomBytes } from 'node:crypto';
import type { WebhookRow } from '../db/webhooks.ts';
import { sign } from '../delivery/pipeline.ts';
import { loggableHeaders } from '../delivery/send/headers.ts';
import { destinationOf } from './destination.ts';
import { render, targetUrl, type Destination } from './render.ts';
import type { SiteInfo } from './site.ts';

export interface Outgoing {
  url: string;
  headers: Record<string, string>;
  body: string;
  contentType: string;
}

interface Signing {
  webhookId: number;
  customHeaders: Record<string, string>;
  secret: string;
  previous: string | null;
}

/** A body already rendered for this delivery (a retry's stored bytes), sent instead of rendering again. */
export interface Stored {
  body: string;
  contentType: string;
}

function compose(
  d: Destination,
  url: string,
  event: string,
  payload: string,
  site: SiteInfo,
  signing: Signing,
  now: Date,
  stored?: Stored,
): Outgoing {
  const rendered = stored ?? render(d, payload, site);
  const headers = sign(
    rendered,
    {
      event,
      msgId: `msg_test_${randomBytes(12).toString('hex')}`,
      webhookId: signing.webhookId,
      customHeaders: signing.customHeaders,
      secret: signing.secret,
      previousSecret: signing.previous,
    },
    now,
  );
  return { url: targetUrl(d.format, url), headers, body: rendered.body, contentType: rendered.contentType };
}

/** The webhook's opened (decrypted) values that a request needs. */
export interface OpenedTarget {
  url: string;
  customHeaders: Record<string, string>;
  secret: string;
  /** The previous secret while its overlap window lasts, else null. */
  previous: string | null;
}

/** What `row` sends for `payload` (the stored envelope), signed with its secrets. */
export function outgoingFor(
  row: WebhookRow,
  target: OpenedTarget,
  event: string,
  payload: string,
  site: SiteInfo,
  now: Date,
  stored?: Stored,
): Outgoing {
  return compose(
    destinationOf(row),
    target.url,
    event,
    payload,
    site,
    {
      webhookId: Number(row.id),
      customHeaders: target.customHeaders,
      secret: target.secret,
      previous: target.previous,
    },
    now,
    stored,
  );
}

/** The preview of `outgoing`: signatures and custom header values redacted, as the delivery log shows them. */
export function previewOf(outgoing: Outgoing, customHeaderNames: string[]) {
  return {
    content_type: outgoing.contentType,
    body: outgoing.body,
    headers: loggableHeaders(outgoing.headers, customHeaderNames),
  };
}

/** What a destination that no webhook has yet would send, signed with a throwaway secret (it has none yet). */
export function outgoingDraft(
  d: Destination,
  event: string,
  payload: string,
  site: SiteInfo,
  now: Date,
): Outgoing {
  const draft = compose(
    d,
    'https://example.invalid/',
    event,
    payload,
    site,
    {
      webhookId: 0,
      customHeaders: {},
      secret: randomBytes(24).toString('base64'),
      previous: null,
    },
    now,
  );
  return draft;
}
