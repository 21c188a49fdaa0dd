/** SQL for recording attempt outcomes: the attempt log, delivered or failed, and the webhook's health. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from './pool.ts';

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

export async function insertAttempts(db: Conn, t: Tables, attempts: AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  await db.query(
    `INSERT INTO ${t.attempts} (delivery_id, webhook_id, attempt, started_at, duration_ms, status_code, error,
       response_excerpt, request_headers) VALUES ?`,
    [
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
  );
}

export async function markDelivered(
  db: Conn,
  t: Tables,
  owner: string,
  ids: number[],
  statusCodes: number[],
): Promise<void> {
  if (ids.length === 0) return;
  const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
  await db.query(
    `UPDATE ${t.deliveries} SET status = 'delivered', delivered_at = UTC_TIMESTAMP(3), lease_until = NULL,
       last_status_code = CASE id ${cases} END, last_error = NULL, updated_at = UTC_TIMESTAMP(3)
     WHERE id IN (?) AND claimed_by = ?`,
    [...ids.flatMap((id, i) => [id, statusCodes[i]]), ids, owner],
  );
}

/** Records a failed attempt: due again after `delaySeconds`, or `failed` for good when `delaySeconds` is null. */
export async function markFailed(
  db: Conn,
  t: Tables,
  owner: string,
  id: number,
  statusCode: number | null,
  error: string,
  delaySeconds: number | null,
): Promise<void> {
  await db.query(
    `UPDATE ${t.deliveries} SET status = ?, last_status_code = ?, last_error = ?, lease_until = NULL,
       next_attempt_at = IF(? IS NULL, next_attempt_at, UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND), updated_at = UTC_TIMESTAMP(3)
     WHERE id = ? AND claimed_by = ?`,
    [
      delaySeconds === null ? 'failed' : 'pending',
      statusCode,
      error.slice(0, 1024),
      delaySeconds,
      Math.round((delaySeconds ?? 0) * 1e6),
      id,
      owner,
    ],
  );
}

export async function touchWebhookSuccess(db: Conn, t: Tables, webhookIds: number[]): Promise<void> {
  if (webhookIds.length === 0) return;
  await db.query(
    `UPDATE ${t.webhooks} SET last_triggered_at = UTC_TIMESTAMP(), last_error = NULL, failing_since = NULL WHERE id IN (?)`,
    [webhookIds],
  );
}

/**
 * Disables a webhook that has been failing, without a success, for longer than `windowSeconds`. Returns the reason
 * it now shows as last_error when this call disabled it (so the caller notifies once), else null.
 */
export async function disableIfFailingFor(
  db: Conn,
  t: Tables,
  webhookId: number,
  windowSeconds: number,
): Promise<string | null> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE ${t.webhooks} SET status = 'inactive', updated_at = UTC_TIMESTAMP(),
       last_error = LEFT(CONCAT('Disabled automatically after failing since ', DATE_FORMAT(failing_since, '%Y-%m-%d %H:%i:%s'),
         ' UTC. Last error: ', COALESCE(last_error, 'unknown')), 1024)
     WHERE id = ? AND status = 'active' AND failing_since < UTC_TIMESTAMP(3) - INTERVAL ? SECOND`,
    [webhookId, windowSeconds],
  );
  if (result.affectedRows === 0) return null;
  const [rows] = await db.query<RowDataPacket[]>(`SELECT last_error FROM ${t.webhooks} WHERE id = ?`, [
    webhookId,
  ]);
  return String(rows[0]?.last_error ?? '');
}

export async function touchWebhookFailure(
  db: Conn,
  t: Tables,
  webhookId: number,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE ${t.webhooks} SET last_error = ?, failing_since = COALESCE(failing_since, UTC_TIMESTAMP(3)) WHERE id = ?`,
    [error.slice(0, 1024), webhookId],
  );
}

/**
 * Disables a webhook whose receiver answered 410 Gone. Returns true only for the call that disabled it: several
 * attempts in flight to it (or other sidecars) get the 410 too, and WordPress is told once.
 */
export async function disableGone(db: Conn, t: Tables, webhookId: number): Promise<boolean> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE ${t.webhooks} SET status = 'inactive', updated_at = UTC_TIMESTAMP() WHERE id = ? AND status = 'active'`,
    [webhookId],
  );
  return result.affectedRows > 0;
}
