/**
 * The route table of the management API. WordPress serves each route under the spec's namespace and the plugin's
 * own; the plugin forwards it to the sidecar's path of the same name. PHP registers them from generated code.
 */
import type { z } from 'zod';
import * as s from './schemas.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Sidecar path, Hono style (`:id`); WordPress gets the same with `(?P<id>\d+)`. */
  readonly path: string;
  readonly summary: string;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** HTTP status of a successful answer. */
  readonly status: 200 | 201;
  /** How long PHP waits on the sidecar, in seconds. */
  readonly timeoutSeconds: number;
}

/** The spec's namespace (shared with Fluent Community itself) and the plugin's own, which always serves too. */
export const restNamespace = 'fluent-community/v2';
export const ownRestNamespace = 'fluent-community-webhooks/v1';

const defaults = { status: 200, timeoutSeconds: 10 } as const;

export const routes = {
  listWebhooks: {
    ...defaults,
    method: 'GET',
    path: '/admin/webhooks',
    summary: 'List webhooks, paginated and filtered.',
    query: s.listWebhooksQuery,
    response: s.listWebhooksResponse,
  },
  createWebhook: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks',
    summary: 'Create a webhook.',
    body: s.createWebhookBody,
    response: s.createWebhookResponse,
    status: 201,
  },
  previewFormat: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/preview',
    summary: "Render an event's example payload in a format, without sending: the exact body and headers.",
    body: s.previewBody,
    response: s.previewResponse,
  },
  // Before getWebhook: in the sidecar `:id` would otherwise take the word `events`.
  listEvents: {
    ...defaults,
    method: 'GET',
    path: '/admin/webhooks/events',
    summary:
      'The event catalogue: every event with its description, hooks, JSON Schema and an example payload.',
    response: s.eventCatalogueResponse,
  },
  getWebhook: {
    ...defaults,
    method: 'GET',
    path: '/admin/webhooks/:id',
    summary: 'Get one webhook.',
    response: s.webhookResponse,
  },
  updateWebhook: {
    ...defaults,
    method: 'PUT',
    path: '/admin/webhooks/:id',
    summary: 'Update a webhook.',
    body: s.updateWebhookBody,
    response: s.updateWebhookResponse,
  },
  deleteWebhook: {
    ...defaults,
    method: 'DELETE',
    path: '/admin/webhooks/:id',
    summary: 'Delete a webhook.',
    response: s.deleteWebhookResponse,
  },
  testWebhook: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/:id/test',
    summary:
      "Send a signed test payload to the webhook URL and report the outcome; with an event, also whether that event's example would be filtered out.",
    body: s.testWebhookBody,
    response: s.testWebhookResponse,
    timeoutSeconds: 40,
  },
  previewWebhook: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/:id/preview',
    summary:
      "Render what the webhook would send for an event's example or one of its deliveries, without sending.",
    body: s.previewWebhookBody,
    response: s.previewResponse,
  },
  rotateSecret: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/:id/rotate-secret',
    summary: 'Issue a new secret; the old one keeps signing during the overlap window.',
    response: s.rotateSecretResponse,
  },
  listDeliveries: {
    ...defaults,
    method: 'GET',
    path: '/admin/webhooks/:id/deliveries',
    summary: "A webhook's delivery log, newest first, paginated and filtered by status and event.",
    query: s.listDeliveriesQuery,
    response: s.listDeliveriesResponse,
  },
  getDelivery: {
    ...defaults,
    method: 'GET',
    path: '/admin/webhooks/:id/deliveries/:delivery_id',
    summary: 'One delivery with its payload and every attempt.',
    response: s.deliveryDetailResponse,
  },
  redeliver: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/:id/deliveries/:delivery_id/redeliver',
    summary: 'Send a delivery again now (same event id, a fresh retry budget).',
    response: s.redeliverResponse,
  },
  replay: {
    ...defaults,
    method: 'POST',
    path: '/admin/webhooks/:id/replay',
    summary: 'Queue again every failed delivery of the webhook created since a given time (UTC).',
    body: s.replayBody,
    response: s.replayResponse,
  },
  listQuarantine: {
    ...defaults,
    method: 'GET',
    path: '/admin/inbox/quarantine',
    summary:
      'Inbox rows set aside because they could not be turned into events, oldest first, each with the reason.',
    query: s.listQuarantineQuery,
    response: s.listQuarantineResponse,
  },
  retryQuarantined: {
    ...defaults,
    method: 'POST',
    path: '/admin/inbox/quarantine/:id/retry',
    summary: 'Move a quarantined row back into the inbox, to be turned into events again.',
    response: s.retryQuarantinedResponse,
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

/** Routes of the sidecar that WordPress does not expose: event hand-over and health. */
export const sidecarRoutes = {
  ingest: {
    method: 'POST',
    path: '/events',
    summary:
      'The ingest API: action calls from other plugins and services, stored as events and fanned out; 202 once committed.',
    body: s.ingestBody,
    response: s.ingestResponse,
    status: 202,
  },
  wake: { method: 'POST', path: '/events/wake', summary: "The plugin's wake-up: the inbox has rows." },
  health: { method: 'GET', path: '/healthz', summary: 'Liveness, without the shared secret.' },
  ready: { method: 'GET', path: '/readyz', summary: 'Readiness: the database answers and the worker runs.' },
  metrics: { method: 'GET', path: '/metrics', summary: 'Prometheus metrics.' },
} as const;

/** Request headers between the plugin and the sidecar. */
export const sidecarHeaders = {
  /** `Bearer <shared secret>` */
  auth: 'authorization',
  /** The WordPress user id on whose behalf the plugin calls. */
  actingUser: 'x-fcwh-acting-user',
} as const;
