/** SQL for the delivery log: listing, one delivery with its attempts, redelivery and replay. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from './pool.ts';
import type { Statement } from './scripts.ts';

export interface DeliveryRow {
  id: number;
  webhook_id: number;
  event: string;
  uid: string;
  status: 'pending' | 'in_flight' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface AttemptRow {
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  request_headers: string;
}

const columns = `d.id, d.webhook_id, d.event, e.uid, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
  d.last_error, d.created_at, d.updated_at, d.delivered_at`;

export interface DeliveryFilter {
  status?: string | undefined;
  event?: string | undefined;
}

/**
 * A page filtered by event reads log_by_event (migration 005): one range, newest first, the status then checked row
 * by row. Named, because MariaDB otherwise intersects it with the webhook's index and sorts the result, which
 * reads the webhook's whole history for one page.
 */
const eventIndexHint = (f: DeliveryFilter) => (f.event ? 'FORCE INDEX (log_by_event)' : '');

function where(webhookId: number, f: DeliveryFilter): [string, unknown[]] {
  const clauses = ['d.webhook_id = ?'];
  const params: unknown[] = [webhookId];
  if (f.status) (clauses.push('d.status = ?'), params.push(f.status));
  if (f.event) (clauses.push('d.event = ?'), params.push(f.event));
  return [clauses.join(' AND '), params];
}

/** One page of a webhook's deliveries, newest first. */
export function deliveryPage(
  t: Tables,
  webhookId: number,
  f: DeliveryFilter,
  limit: number,
  offset: number,
): Statement {
  const [clause, params] = where(webhookId, f);
  return {
    sql: `SELECT ${columns} FROM ${t.deliveries} d ${eventIndexHint(f)} JOIN ${t.events} e ON e.id = d.event_id
     WHERE ${clause} ORDER BY d.id DESC LIMIT ? OFFSET ?`,
    values: [...params, limit, offset],
  };
}

export async function selectDeliveryPage(
  db: Conn,
  t: Tables,
  webhookId: number,
  f: DeliveryFilter,
  limit: number,
  offset: number,
): Promise<DeliveryRow[]> {
  const { sql, values } = deliveryPage(t, webhookId, f, limit, offset);
  const [rows] = await db.query<RowDataPacket[]>(sql, values);
  return rows as DeliveryRow[];
}

export async function countDeliveries(
  db: Conn,
  t: Tables,
  webhookId: number,
  f: DeliveryFilter,
): Promise<number> {
  const [clause, params] = where(webhookId, f);
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${t.deliveries} d WHERE ${clause}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function selectDelivery(
  db: Conn,
  t: Tables,
  webhookId: number,
  id: number,
): Promise<(DeliveryRow & { payload: string }) | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT ${columns}, e.payload FROM ${t.deliveries} d JOIN ${t.events} e ON e.id = d.event_id
     WHERE d.id = ? AND d.webhook_id = ?`,
    [id, webhookId],
  );
  return (rows[0] as (DeliveryRow & { payload: string }) | undefined) ?? null;
}

export async function selectAttempts(db: Conn, t: Tables, deliveryId: number): Promise<AttemptRow[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT attempt, started_at, duration_ms, status_code, error, response_excerpt, request_headers
     FROM ${t.attempts} WHERE delivery_id = ? ORDER BY id`,
    [deliveryId],
  );
  return rows as AttemptRow[];
}

/** Makes a delivery due now with a fresh retry budget, unless it is being attempted. Returns false if it is. */
export async function requeueDelivery(db: Conn, t: Tables, id: number): Promise<boolean> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE ${t.deliveries} SET status = 'pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(3), lease_until = NULL,
       claimed_by = NULL, updated_at = UTC_TIMESTAMP(3) WHERE id = ? AND status <> 'in_flight'`,
    [id],
  );
  return result.affectedRows > 0;
}

/** Requeues a webhook's failed deliveries created in [since, until). Returns how many. */
export async function requeueFailed(
  db: Conn,
  t: Tables,
  webhookId: number,
  since: string,
  until: string | null,
): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE ${t.deliveries} SET status = 'pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3)
     WHERE webhook_id = ? AND status = 'failed' AND created_at >= ? AND (? IS NULL OR created_at < ?)`,
    [webhookId, since, until, until],
  );
  return result.affectedRows;
}

/** The body a retried attempt of the delivery stored (sent again by its next attempts), or null. */
export async function selectRendered(
  db: Conn,
  t: Tables,
  id: number,
): Promise<{ rendered_body: string; rendered_type: string | null; rendered_format: string | null } | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT rendered_body, rendered_type, rendered_format FROM ${t.deliveries} WHERE id = ? AND rendered_body IS NOT NULL`,
    [id],
  );
  return (
    (rows[0] as { rendered_body: string; rendered_type: string | null; rendered_format: string | null }) ??
    null
  );
}
