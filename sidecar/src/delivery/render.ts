/**
 * The render stage: what one claimed delivery sends. The event's stored body (the spec's JSON envelope) is the
 * default format; a destination format (a chat service's message, a mail API's request, a template) is a
 * function from the same input to the same output, chosen here by the webhook's settings. The sign stage signs
 * exactly the bytes returned, and the send stage sends them.
 */

/** What the render stage reads: the event as stored and the webhook it goes to. */
export interface RenderInput {
  /** The event's name (`feed.created`, or the test event). */
  event: string;
  /** The event's stored body: the spec's envelope as compact JSON. */
  payload: string;
  /** The receiving webhook's id. */
  webhook_id: number;
}

/** The request body of one attempt, as sent and signed. */
export interface Rendered {
  body: Buffer | string;
  /** The body's media type (sent as Content-Type). */
  contentType: string;
  /** Headers the format needs (custom headers come first, ours last). */
  headers?: Readonly<Record<string, string>>;
}

/** The default format: the stored envelope unchanged. */
export function renderJson(input: RenderInput): Rendered {
  return { body: input.payload, contentType: 'application/json' };
}

/** Renders one delivery for its webhook. */
export function render(input: RenderInput): Rendered {
  return renderJson(input);
}
