/**
 * SQL for recording attempt outcomes: the attempt log, delivered or failed, and the webhook's health (auto-disable's
 * statements are in disable.ts). The writes are statements for a script (the recorder sends a batch's in one round
 * trip).
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from '../../db/pool.ts';
import type { Statement } from '../../db/scripts.ts';

export interface AttemptRecord {
  deliveryId: number;
  webhookId: number;
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  excerpt: string;
  requestHeaders: string;
}

/** One multi-row INSERT of attempt rows; null when there are none. */
export function insertAttempts(t: Tables, attempts: AttemptRecord[]): Statement | null {
  if (attempts.length === 0) return null;
  return {
    sql: `INSERT INTO ${t.attempts} (delivery_id, webhook_id, attempt, started_at, duration_ms, status_code, error,
       response_excerpt, request_headers) VALUES ?`,
    values: [
      attempts.map((a) => [
        a.deliveryId,
        a.webhookId,
        a.attempt,
        a.startedAt,
        a.durationMs,
        a.statusCode,
        a.error,
        a.excerpt,
        a.requestHeaders,
      ]),
    ],
  };
}

/** Marks deliveries delivered (only while this worker still holds them); null when there are none. */
export function markDelivered(
  t: Tables,
  owner: string,
  ids: number[],
  statusCodes: number[],
): Statement | null {
  if (ids.length === 0) return null;
  const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
  return {
    sql: `UPDATE ${t.deliveries} SET status = 'delivered', delivered_at = UTC_TIMESTAMP(3), lease_until = NULL,
       last_status_code = CASE id ${cases} END, last_error = NULL, updated_at = UTC_TIMESTAMP(3)
     WHERE id IN (?) AND claimed_by = ?`,
    values: [...ids.flatMap((id, i) => [id, statusCodes[i]]), ids, owner],
  };
}

/** Records a failed attempt: due again after `delaySeconds`, or `failed` for good when `delaySeconds` is null. */
export function markFailed(
  t: Tables,
  owner: string,
  id: number,
  statusCode: number | null,
  error: string,
  delaySeconds: number | null,
): Statement {
  return {
    sql: `UPDATE ${t.deliveries} SET status = ?, last_status_code = ?, last_error = ?, lease_until = NULL,
       next_attempt_at = IF(? IS NULL, next_attempt_at, UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND), updated_at = UTC_TIMESTAMP(3)
     WHERE id = ? AND claimed_by = ?`,
    values: [
      delaySeconds === null ? 'failed' : 'pending',
      statusCode,
      error.slice(0, 1024),
      delaySeconds,
      Math.round((delaySeconds ?? 0) * 1e6),
      id,
      owner,
    ],
  };
}

/**
 * Keeps the body a retried delivery's attempt sent in a destination format, so that its next attempts send the same
 * bytes (delivery/render.ts). Written with the retry, not with a success: a delivered body is never sent again.
 */
export function storeRendered(
  t: Tables,
  owner: string,
  id: number,
  rendered: { body: string; contentType: string; format: string },
): Statement {
  return {
    sql: `UPDATE ${t.deliveries} SET rendered_body = ?, rendered_type = ?, rendered_format = ? WHERE id = ? AND claimed_by = ?`,
    values: [rendered.body, rendered.contentType, rendered.format, id, owner],
  };
}

/**
 * A success clears the webhooks' failure state and keeps the status each answered with; null when there are none.
 * `statuses[i]` is the status of `webhookIds[i]`'s latest delivery in the batch.
 */
export function touchWebhookSuccess(t: Tables, webhookIds: number[], statuses: number[]): Statement | null {
  if (webhookIds.length === 0) return null;
  const cases = webhookIds.map(() => 'WHEN ? THEN ?').join(' ');
  return {
    sql: `UPDATE ${t.webhooks} SET last_triggered_at = UTC_TIMESTAMP(), last_error = NULL, failing_since = NULL,
       last_status_code = CASE id ${cases} END WHERE id IN (?)`,
    values: [...webhookIds.flatMap((id, i) => [id, statuses[i]]), webhookIds],
  };
}

/** A failure: the webhook's last error and status (null without an answer), and since when it has been failing. */
export function touchWebhookFailure(
  t: Tables,
  webhookId: number,
  error: string,
  status: number | null,
): Statement {
  return {
    sql: `UPDATE ${t.webhooks} SET last_error = ?, last_status_code = ?, failing_since = COALESCE(failing_since, UTC_TIMESTAMP(3)) WHERE id = ?`,
    values: [error.slice(0, 1024), status, webhookId],
  };
}
