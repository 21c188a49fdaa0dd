/** Handlers of the delivery log: list, detail with attempts, redeliver, replay. */
import * as s from '../../../shared/schemas.ts';
import * as log from '../db/delivery-log.ts';
import { selectWebhook } from '../db/webhooks.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { parseId, readJsonObject, validate } from './input.ts';
import type { Handler } from './webhooks.ts';

function toDelivery(row: log.DeliveryRow): s.Delivery {
  return {
    id: Number(row.id),
    webhook_id: Number(row.webhook_id),
    event: row.event,
    message_id: row.uid,
    status: row.status,
    attempt_count: Number(row.attempts),
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
    delivered_at: row.delivered_at,
  };
}

const toAttempt = (a: log.AttemptRow): s.Attempt => ({
  attempt: Number(a.attempt),
  started_at: a.started_at,
  duration_ms: Number(a.duration_ms),
  status_code: a.status_code === null ? null : Number(a.status_code),
  error: a.error,
  response_excerpt: a.response_excerpt,
  request_headers: JSON.parse(a.request_headers) as Record<string, string>,
});

/** 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' or ISO 8601 (UTC) → 'YYYY-MM-DD HH:MM:SS'. */
const dbTime = (v: string) =>
  `${v.replace('T', ' ').replace(/Z$/, '')}${v.length === 10 ? ' 00:00:00' : v.length <= 17 ? ':00' : ''}`;

export function deliveryHandlers(
  deps: Deps,
): Record<'listDeliveries' | 'getDelivery' | 'redeliver' | 'replay', Handler> {
  const { db, tables: t } = deps;
  const webhookId = async (raw: string | undefined) => {
    const id = parseId(raw);
    if (!(await selectWebhook(db, t, id))) throw new ApiError('not_found');
    return id;
  };
  const deliveryOf = async (id: number, raw: string | undefined) => {
    const row = await log.selectDelivery(db, t, id, parseId(raw, 'delivery_not_found'));
    if (!row) throw new ApiError('delivery_not_found');
    return row;
  };
  return {
    async listDeliveries(c) {
      const id = await webhookId(c.req.param('id'));
      const q = validate(s.listDeliveriesQuery, c.req.query());
      const filter = { status: q.status, event: q.event };
      const [rows, total] = await Promise.all([
        log.selectDeliveryPage(db, t, id, filter, q.per_page, (q.page - 1) * q.per_page),
        log.countDeliveries(db, t, id, filter),
      ]);
      c.header('X-WP-Total', String(total));
      c.header('X-WP-TotalPages', String(Math.ceil(total / q.per_page)));
      return c.json({ deliveries: rows.map(toDelivery) });
    },
    async getDelivery(c) {
      const row = await deliveryOf(await webhookId(c.req.param('id')), c.req.param('delivery_id'));
      const attempts = await log.selectAttempts(db, t, Number(row.id));
      return c.json({
        ...toDelivery(row),
        payload: JSON.parse(row.payload) as unknown,
        attempts: attempts.map(toAttempt),
      });
    },
    async redeliver(c) {
      const id = await webhookId(c.req.param('id'));
      const row = await deliveryOf(id, c.req.param('delivery_id'));
      if (!(await log.requeueDelivery(db, t, Number(row.id)))) throw new ApiError('delivery_in_flight');
      deps.wake();
      const fresh = (await log.selectDelivery(db, t, id, Number(row.id)))!;
      return c.json({ ...toDelivery(fresh), message: s.messages.redelivered });
    },
    async replay(c) {
      const id = await webhookId(c.req.param('id'));
      const body = validate(s.replayBody, await readJsonObject(c));
      const requeued = await log.requeueFailed(
        db,
        t,
        id,
        dbTime(body.since),
        body.until ? dbTime(body.until) : null,
      );
      if (requeued > 0) deps.wake();
      return c.json({ requeued, message: s.messages.replayed });
    },
  };
}
