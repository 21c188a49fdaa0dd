/**
 * The render stage: what one claimed delivery sends. The event's stored body (the spec's JSON envelope) is the
 * `json` format; a destination format (a chat service's message, a mail API's request, a template) turns the same
 * envelope into that service's body (sidecar/src/render/). The sign stage signs exactly the bytes returned, and the
 * send stage sends them.
 *
 * A retry sends the bytes of the first attempt: a delivery's first render in a destination format is stored with
 * it (the recorder writes it with the attempt) and sent again as long as the webhook keeps that format, so editing a
 * template, renaming the site or the actor's profile changing between attempts does not change what is re-sent.
 * Changing the webhook's format renders anew: bytes in the old format would be refused by the new service.
 */
import { destinationOfRow } from '../render/destination.ts';
import { render as renderFormat } from '../render/render.ts';
import type { SiteInfo } from '../render/site.ts';

export { RenderError } from '../render/render.ts';

/** What the render stage reads: the event as stored and the webhook it goes to. */
export interface RenderInput {
  /** The event's name (`feed.created`, or the test event). */
  event: string;
  /** The event's stored body: the spec's envelope as compact JSON. */
  payload: string;
  /** The receiving webhook's id. */
  webhook_id: number;
  webhook_name?: string;
  /** The webhook's destination settings, as stored (absent: `json`). */
  format?: string;
  template?: string | null;
  content_type?: string | null;
  options?: string | null;
  /** What an earlier attempt of this delivery sent, when one did in a destination format. */
  rendered_body?: string | null;
  rendered_type?: string | null;
  rendered_format?: string | null;
}

/** The request body of one attempt, as sent and signed. */
export interface Rendered {
  body: Buffer | string;
  /** The body's media type (sent as Content-Type). */
  contentType: string;
  /** Headers the format needs (custom headers come first, ours last). */
  headers?: Readonly<Record<string, string>>;
}

/** A delivery's render: `store` when it was rendered now in a destination format (the recorder keeps it). */
export interface RenderedDelivery extends Rendered {
  body: string;
  format: string;
  store: boolean;
}

/** The default format: the stored envelope unchanged. */
export function renderJson(input: RenderInput): Rendered {
  return { body: input.payload, contentType: 'application/json' };
}

/** Renders one delivery for its webhook; throws RenderError when its format cannot render this payload. */
export function render(input: RenderInput, site: SiteInfo): RenderedDelivery {
  const format = input.format ?? 'json';
  if (format === 'json')
    return { body: input.payload, contentType: 'application/json', format, store: false };
  if (input.rendered_body != null && input.rendered_format === format)
    return {
      body: input.rendered_body,
      contentType: input.rendered_type ?? 'application/json',
      format,
      store: false,
    };
  const destination = destinationOfRow({
    id: input.webhook_id,
    name: input.webhook_name ?? '',
    format,
    template: input.template ?? null,
    content_type: input.content_type ?? null,
    options: input.options ?? null,
  });
  const rendered = renderFormat(destination, input.payload, site);
  return { ...rendered, format, store: true };
}
