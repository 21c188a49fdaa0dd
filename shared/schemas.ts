/** zod schemas of every request and response of the management API; types are inferred from them. */
import { z } from 'zod';
import { contentTypePattern, formats, maxTemplateLength } from './destinations.ts';
import { eventNames, testEventName, type EventName } from './events.ts';
import type { ErrorCode } from './errors.ts';
import { filterSpace, filtersInput, filtersView } from './filters.ts';

/** Wildcard subscription: every event, including ones added later. The spec calls it a bad practice; it works. */
export const allEvents = '*';

/** Headers that a webhook's custom headers may not set: transport, signature and event headers are ours. */
export const reservedHeaderNames = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'user-agent',
  'x-fluent-signature',
  'x-fluent-signature-previous',
  'x-fluent-event',
  'x-fluent-webhook-id',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-fcwh-loop-guard',
] as const;

const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
// Visible ASCII, spaces and tabs, and Latin-1 (RFC 9110 obs-text): what HTTP/1.1 can carry. Never CR, LF or NUL;
// never a character above U+00FF, which undici refuses to send (every attempt would fail).
const headerValue = /^[\t\x20-\x7e\u0080-\u00ff]{0,1024}$/;

const name = z.string().trim().min(1).max(191);

const url = z
  .string()
  .max(2048, 'Webhook URL must be at most 2048 characters.')
  .superRefine((value, ctx) => {
    // The URL parser drops tabs and line breaks and trims spaces and control characters, so such a URL would be
    // stored as typed but requested as another: refused, whatever the characters' place.
    if (/[\u0000-\u0020\u007f-\u009f\s]/u.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'Webhook URL must not contain spaces or control characters.' });
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Webhook URL is not a valid URL.' });
      return;
    }
    if (parsed.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'Webhook URL must use HTTPS protocol.' });
    } else if (parsed.username !== '' || parsed.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'Webhook URL must not contain credentials.' });
    } else if (parsed.hash !== '') {
      ctx.addIssue({ code: 'custom', message: 'Webhook URL must not contain a fragment.' });
    }
  })
  // Stored and shown as the sender requests it (host lower case, IDN as punycode, path normalised).
  .transform((value, ctx) => {
    const href = new URL(value).href;
    if (href.length <= 2048) return href;
    ctx.addIssue({ code: 'custom', message: 'Webhook URL must be at most 2048 characters once encoded.' });
    return z.NEVER;
  });

const events = z
  .array(z.string().max(64), 'Events must be a list of event names.')
  .min(1, 'Events must list at least one event.')
  .max(100)
  .superRefine((list, ctx) => {
    const known = new Set<string>([...eventNames, allEvents]);
    const unknown = list.filter((event) => !known.has(event));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `Unknown event name(s): ${unknown.slice(0, 10).join(', ')}.` });
    }
  })
  .transform((list) => [...new Set(list)] as (EventName | typeof allEvents)[]);

const status = z.enum(['active', 'inactive']);

const secret = z.string().regex(/^[\x21-\x7e]{16,255}$/);

const headers = z
  .record(z.string(), z.string(), 'Headers must be an object of header names to string values.')
  .superRefine((map, ctx) => {
    const entries = Object.entries(map);
    if (entries.length > 20)
      ctx.addIssue({ code: 'custom', message: 'At most 20 custom headers are allowed.' });
    const seen = new Set<string>();
    for (const [key, value] of entries) {
      const lower = key.toLowerCase();
      if (!headerName.test(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `Header name "${key.slice(0, 64)}" is not a valid HTTP header name.`,
        });
      } else if ((reservedHeaderNames as readonly string[]).includes(lower)) {
        ctx.addIssue({
          code: 'custom',
          message: `Header "${key}" is set by the webhook sender and cannot be overridden.`,
        });
      } else if (lower === 'content-type' && !/^application\/json\b/i.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'Content-Type can only be application/json.' });
      } else if (!headerValue.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `Header "${key}" has an invalid value (at most 1024 Latin-1 characters, no line breaks).`,
        });
      } else if (seen.has(lower)) {
        ctx.addIssue({ code: 'custom', message: `Header "${key}" is given twice.` });
      }
      seen.add(lower);
    }
  });

const retryCount = z.int().min(0).max(10);

const format = z.enum(formats, `Format must be one of: ${formats.join(', ')}.`);
const template = z
  .string('Template must be a string.')
  .min(1, 'Template must not be empty.')
  .max(maxTemplateLength, `Template must be at most ${maxTemplateLength} characters.`);
const contentType = z
  .string('content_type must be a string.')
  .max(255)
  .regex(contentTypePattern, 'content_type must be a media type such as application/json.');
/** Per-format keys are checked by the handler, once the format is known (shared/destinations.ts). */
const options = z.record(z.string(), z.unknown(), 'Options must be an object.');
const rateLimit = z
  .number("rate_limit must be a number of requests per second, or null for the format's default.")
  .min(0, 'rate_limit must be 0 (unpaced) or more.')
  .max(1000, 'rate_limit must be at most 1000 requests per second.')
  .nullable();

const describe = {
  name: 'Webhook name/description.',
  url: 'Target URL (must be HTTPS).',
  events: 'List of event types to subscribe to ("*" for all).',
  status: 'Webhook status: active or inactive.',
  secret: 'Secret key for signature verification (generated when omitted).',
  headers: 'Custom HTTP headers to send.',
  retry_count: 'Retry attempts on failure (0-10).',
  filters:
    'Which subscribed events pass, by space and actor: {"spaces": [ids], "privacy": ["public", ...], "exclude_roles": [roles]}.',
  format: `Body format: ${formats.join(', ')} (from the URL when omitted on create).`,
  template: 'Liquid template of the body (format "template" only).',
  content_type: "Content-Type of a template's body (default application/json).",
  options:
    'Options of the format: display_name and avatar_url (chat), to, from and subject_prefix (sendgrid).',
  rate_limit: "Requests per second at most; null for the format's default.",
} as const;

const destinationFields = {
  format: format.optional().describe(describe.format),
  template: template.optional().describe(describe.template),
  content_type: contentType.optional().describe(describe.content_type),
  options: options.optional().describe(describe.options),
  rate_limit: rateLimit.optional().describe(describe.rate_limit),
};

export const createWebhookBody = z.object({
  name: name.describe(describe.name),
  url: url.describe(describe.url),
  events: events.describe(describe.events),
  status: status.default('active').describe(describe.status),
  secret: secret.optional().describe(describe.secret),
  headers: headers.default({}).describe(describe.headers),
  retry_count: retryCount.default(3).describe(describe.retry_count),
  filters: filtersInput.optional().describe(describe.filters),
  ...destinationFields,
});
export type CreateWebhookBody = z.infer<typeof createWebhookBody>;

/** Update takes every field but the secret (rotate it with rotate-secret); unknown fields are ignored. */
export const updateWebhookBody = z.object({
  name: name.optional().describe(describe.name),
  url: url.optional().describe(describe.url),
  events: events.optional().describe(describe.events),
  status: status.optional().describe(describe.status),
  headers: headers.optional().describe(describe.headers),
  retry_count: retryCount.optional().describe(describe.retry_count),
  filters: filtersInput.optional().describe(describe.filters),
  ...destinationFields,
});
export type UpdateWebhookBody = z.infer<typeof updateWebhookBody>;

/** Which error code a failed field answers with. */
export const fieldErrorCodes: Record<string, ErrorCode> = {
  name: 'invalid_name',
  url: 'invalid_url',
  events: 'invalid_events',
  status: 'invalid_status',
  secret: 'invalid_secret',
  headers: 'invalid_headers',
  retry_count: 'invalid_retry_count',
  filters: 'invalid_filters',
  format: 'invalid_format',
  template: 'invalid_template',
  content_type: 'invalid_content_type',
  options: 'invalid_options',
  rate_limit: 'invalid_rate_limit',
  since: 'rest_invalid_param',
  until: 'rest_invalid_param',
};

const intParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.int().min(min).max(max))
    .default(fallback);

export const listWebhooksQuery = z.object({
  page: intParam(1, 1_000_000, 1).describe('Page number, from 1.'),
  per_page: intParam(1, 100, 10).describe('Webhooks per page (1-100, default 10).'),
  search: z.string().max(191).optional().describe('Matches name or URL.'),
  status: status.optional().describe('Only webhooks with this status.'),
  event: z
    .enum([...eventNames, allEvents])
    .optional()
    .describe('Only webhooks subscribed to this event.'),
});
export type ListWebhooksQuery = z.infer<typeof listWebhooksQuery>;

export const webhookIdParam = z
  .string()
  .regex(/^[1-9]\d{0,17}$/)
  .transform(Number);

const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

/** A webhook's own fields as the API shows them. `secret` is masked everywhere but in the create response. */
const webhookFields = z.object({
  id: z.int().positive(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  status,
  secret: z.string(),
  headers: z.record(z.string(), z.string()),
  retry_count: z.int(),
  last_triggered_at: dateTime.nullable(),
  last_error: z.string().nullable(),
  last_status_code: z
    .int()
    .nullable()
    .describe('The HTTP status of the latest recorded attempt (null before any, or when it got no answer).'),
  created_at: dateTime,
  updated_at: dateTime,
});
export type Webhook = z.infer<typeof webhookFields>;

/** A webhook as the API shows it: its fields, its filters, and which of the listed spaces exist (with names). */
export const webhook = webhookFields.extend({
  filters: filtersView,
  filter_spaces: z.array(filterSpace).describe('The spaces of filters.spaces that exist, with their names.'),
});

/** What a webhook sends: shown on every answer that shows a webhook. */
export const destinationSettings = z.object({
  /** The format in use (given, or detected from the URL). */
  format,
  template: z.string().nullable(),
  /** The Content-Type the body is sent with. */
  content_type: z.string(),
  options: z.record(z.string(), z.unknown()),
  /** The pace kept, in requests per second (the webhook's own, else the format's default); null: unpaced. */
  rate_limit: z.number().nullable(),
});
export type DestinationSettings = z.infer<typeof destinationSettings>;
const webhookShown = webhook.extend(destinationSettings.shape);
export type WebhookShown = z.infer<typeof webhookShown>;

export const listWebhooksResponse = z.object({ webhooks: z.array(webhookShown) });
export const webhookResponse = webhookShown;
export const createWebhookResponse = webhookShown.extend({ message: z.string() });
export const updateWebhookResponse = webhookShown.extend({ message: z.string() });
export const deleteWebhookResponse = z.object({ message: z.string() });
export const rotateSecretResponse = webhookShown.extend({
  previous_secret_expires_at: dateTime,
  message: z.string(),
});
/** The test route's optional body: an event whose example the answer checks against the webhook's filters. */
export const testWebhookBody = z.object({
  event: z
    .enum(eventNames)
    .optional()
    .describe("An event whose example payload is checked against the webhook's filters."),
});

/** Whether the example of the chosen event would reach the webhook, and the space its filters saw. */
export const filterVerdict = z.object({
  event: z.string(),
  filtered_out: z.boolean(),
  reason: z.string().nullable(),
  space: z.object({
    space_id: z.int().nullable(),
    privacy: z.string().nullable(),
    parent_id: z.int().nullable(),
  }),
});

export const testWebhookResponse = z.object({
  success: z.boolean(),
  status_code: z.int().nullable(),
  response_time: z.int(),
  message: z.string(),
  filter: filterVerdict.optional(),
});
export type TestWebhookResponse = z.infer<typeof testWebhookResponse>;

const previewEvent = z.enum(
  [...eventNames, testEventName],
  `event must be one of the event names (or ${testEventName}).`,
);

/** A preview of a format that no webhook has yet: the event's example payload rendered. */
export const previewBody = z.object({
  format: format.describe(describe.format),
  template: template.optional().describe(describe.template),
  content_type: contentType.optional().describe(describe.content_type),
  options: options.optional().describe(describe.options),
  event: previewEvent.describe('The event whose example payload is rendered.'),
});
export type PreviewBody = z.infer<typeof previewBody>;

/** A preview of a webhook's own format: an event's example payload, or one of its deliveries' payload. */
export const previewWebhookBody = z
  .object({
    event: previewEvent.optional().describe('The event whose example payload is rendered.'),
    delivery_id: z
      .int('delivery_id must be a delivery id.')
      .positive()
      .optional()
      .describe('A delivery of this webhook whose payload is rendered.'),
  })
  .refine((b) => (b.event === undefined) !== (b.delivery_id === undefined), {
    message: 'Give either event or delivery_id.',
    path: ['event'],
  });

/** Exactly what would be sent: the body, its Content-Type and the headers (signatures and custom values redacted). */
export const previewResponse = z.object({
  content_type: z.string(),
  body: z.string(),
  headers: z.record(z.string(), z.string()),
  /** For a webhook's preview of an event's example: whether its filters would let that example through. */
  filter: filterVerdict.optional(),
});
export type PreviewResponse = z.infer<typeof previewResponse>;

/** The preview routes' field codes: their `event` names one event (the list's `event` filter keeps its own). */
export const previewErrorCodes: Record<string, ErrorCode> = {
  ...fieldErrorCodes,
  event: 'invalid_event',
  delivery_id: 'invalid_event',
};

export const errorResponse = z.object({
  code: z.string(),
  message: z.string(),
  data: z.looseObject({ status: z.int() }),
});

/** One event as the plugin hands it over: an action's name and its normalised arguments. */
export const hookCall = z.object({
  hook: z.string().min(1).max(191),
  args: z.array(z.unknown()).max(8),
  actor_id: z.int().min(0).default(0),
  occurred_at: z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?$/),
  request_id: z.string().max(64).optional(),
});
export type HookCall = z.infer<typeof hookCall>;
export const ingestBody = z.object({ events: z.array(hookCall).min(1).max(1000) });
export const ingestResponse = z.object({ accepted: z.int(), events: z.int() });

export const messages = {
  created: 'Webhook created successfully.',
  updated: 'Webhook updated successfully.',
  deleted: 'Webhook deleted successfully.',
  rotated: 'Webhook secret rotated successfully.',
  testOk: 'Webhook test successful.',
  redelivered: 'Delivery queued for redelivery.',
  replayed: 'Failed deliveries queued for redelivery.',
  requeued: 'The action call is back in the inbox and will be turned into events again.',
} as const;

/** Delivery states: `pending` (due now or at next_attempt_at), `in_flight` (claimed), `delivered`, `failed`. */
export const deliveryStatus = z.enum(['pending', 'in_flight', 'delivered', 'failed']);

export const listDeliveriesQuery = z.object({
  page: intParam(1, 1_000_000, 1),
  per_page: intParam(1, 100, 20),
  status: deliveryStatus.optional(),
  event: z.enum(eventNames).optional(),
});

export const delivery = z.object({
  id: z.int().positive(),
  webhook_id: z.int().positive(),
  event: z.string(),
  /** The event's id, sent as `webhook-id` on every attempt (receivers drop duplicates by it). */
  message_id: z.string(),
  status: deliveryStatus,
  attempt_count: z.int(),
  next_attempt_at: z.string().nullable(),
  last_status_code: z.int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  delivered_at: z.string().nullable(),
});

export const attempt = z.object({
  attempt: z.int(),
  started_at: z.string(),
  duration_ms: z.int(),
  status_code: z.int().nullable(),
  error: z.string().nullable(),
  response_excerpt: z.string().nullable(),
  /** What was sent, with signatures and custom header values redacted. */
  request_headers: z.record(z.string(), z.string()),
});

export const listDeliveriesResponse = z.object({ deliveries: z.array(delivery) });
export const deliveryDetailResponse = delivery.extend({ payload: z.unknown(), attempts: z.array(attempt) });
export const redeliverResponse = delivery.extend({ message: z.string() });

export const listQuarantineQuery = z.object({
  page: intParam(1, 1_000_000, 1).describe('Page number, from 1.'),
  per_page: intParam(1, 100, 20).describe('Rows per page (1-100, default 20).'),
});

/** An inbox row set aside because it could not be turned into events; its arguments stay in the database. */
export const quarantinedRow = z.object({
  id: z.int().positive(),
  /** The row's id in the inbox when it was set aside. */
  inbox_id: z.int().positive(),
  hook: z.string(),
  actor_id: z.int(),
  request_id: z.string(),
  occurred_at: z.string(),
  /** Size of the arguments' JSON, in bytes. */
  args_bytes: z.int(),
  /** Why it could not be turned into events. */
  error: z.string(),
  quarantined_at: z.string(),
});

export const listQuarantineResponse = z.object({ rows: z.array(quarantinedRow) });
export const retryQuarantinedResponse = z.object({
  /** The row's new id in the inbox, drained like any other. */
  inbox_id: z.int().positive(),
  message: z.string(),
});

/** True when `YYYY-MM-DD[ HH:MM[:SS]]` names a real instant (no month 13, no February 30, no hour 25). */
function isRealTime(value: string): boolean {
  const [y, mo, d, h = 0, mi = 0, sec = 0] = (value.match(/\d+/g) ?? []).map(Number);
  const t = new Date(Date.UTC(y!, mo! - 1, d!, h, mi, sec));
  return (
    y! >= 1970 &&
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo! - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === sec
  );
}

const utcTime = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?Z?$/, message)
    .refine(isRealTime, message);

export const replayBody = z.object({
  since: utcTime('since must be a date and time, e.g. 2024-01-15 10:30:00 (UTC)'),
  until: utcTime('until must be a date and time, e.g. 2024-01-16 00:00:00 (UTC)').optional(),
});
export const replayResponse = z.object({ requeued: z.int(), message: z.string() });
export type Delivery = z.infer<typeof delivery>;
export type Attempt = z.infer<typeof attempt>;

export const eventCatalogueResponse = z.object({
  events: z.array(
    z.object({
      name: z.string(),
      group: z.string(),
      description: z.string(),
      edition: z.string(),
      hooks: z.array(z.string()),
      schema: z.unknown(),
      example: z.unknown(),
    }),
  ),
});
