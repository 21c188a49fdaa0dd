/**
 * The fan-out stage: one pending delivery per active webhook subscribed to a new event (or to `*`). A condition
 * on which deliveries are made (a filter) belongs in this statement's WHERE, so that no delivery row is written
 * for an event a webhook does not want.
 */
import type { ResultSetHeader } from 'mysql2';
import { eventsInsert, type NewEvent } from '../db/events.ts';
import { fanOutFilter } from '../db/filters.ts';
import type { Tables } from '../db/pool.ts';
import type { Statement } from '../db/scripts.ts';

/**
 * Fans out the `count` events the session's previous INSERT stored (ids LAST_INSERT_ID() onwards, consecutive: see
 * eventsInsert): one pending delivery per active webhook subscribed to the event (or to `*`) whose filters pass it
 * (fanOutFilter: the event's recorded space and actor roles against the webhook's lists, for every webhook in this
 * one statement). Its affectedRows is the number of deliveries created. Must directly follow eventsInsert on the
 * same connection.
 */
export function fanOut(t: Tables, count: number): Statement {
  return {
    sql: `INSERT INTO ${t.deliveries} (webhook_id, event_id, event, status, next_attempt_at, created_at, updated_at)
     SELECT DISTINCT w.id, e.id, e.event, 'pending', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
     FROM ${t.events} e
     JOIN ${t.subscriptions} s ON s.event IN (e.event, '*')
     JOIN ${t.webhooks} w ON w.id = s.webhook_id AND w.status = 'active'
     WHERE e.id BETWEEN LAST_INSERT_ID() AND LAST_INSERT_ID() + ?
       AND ${fanOutFilter(t)}`,
    values: [count - 1],
  };
}

/**
 * The statements that store new events (ingest's) and fan them out, in this order: the fan-out reads the ids the
 * INSERT made. The second result's affectedRows is the number of deliveries made (see deliveriesMade).
 */
export function storeAndFanOut(t: Tables, events: NewEvent[]): Statement[] {
  if (events.length === 0) return [];
  return [eventsInsert(t, events), fanOut(t, events.length)];
}

/** Deliveries made by the fan-out among the results of storeAndFanOut's statements (0 when there were none). */
export const deliveriesMade = (results: unknown[], statements: Statement[]) =>
  statements.length ? (results[1] as ResultSetHeader).affectedRows : 0;
