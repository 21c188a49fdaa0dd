/** SQL for claiming, recording and rescheduling deliveries. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from './pool.ts';

export interface ClaimedDelivery {
  id: number;
  webhook_id: number;
  event: string;
  attempts: number;
  uid: string;
  payload: string;
  url: string;
  webhook_status: string;
  retry_count: number;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: string | null;
  headers_enc: string;
}

/**
 * Claims due deliveries for `owner` with a lease. SKIP LOCKED makes concurrent claimers (other workers, other
 * sidecars) pass over each other's rows instead of waiting or deadlocking; the lease marks them taken after the
 * commit, and a crashed owner's rows become due again when the lease runs out (see releaseExpiredLeases).
 * `room(webhookId)` is how many more deliveries of that webhook may be claimed now: the oldest due rows are often
 * one webhook's backlog (a dead endpoint), and taking all of them would give it every free slot. Rows locked but
 * not kept are not written, so the commit simply unlocks them for the next claim.
 */
export async function claimDue(
  db: Conn,
  t: Tables,
  owner: string,
  limit: number,
  leaseSeconds: number,
  skipWebhooks: number[],
  room: (webhookId: number) => number = () => Infinity,
): Promise<number[]> {
  const skip = skipWebhooks.length ? 'AND webhook_id NOT IN (?)' : '';
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, webhook_id FROM ${t.deliveries} WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) ${skip}
     ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
    skipWebhooks.length ? [skipWebhooks, limit] : [limit],
  );
  const taken = new Map<number, number>();
  const ids: number[] = [];
  for (const r of rows) {
    const webhookId = Number(r.webhook_id);
    const n = taken.get(webhookId) ?? 0;
    if (n >= room(webhookId)) continue;
    taken.set(webhookId, n + 1);
    ids.push(Number(r.id));
  }
  if (ids.length === 0) return ids;
  await db.query(
    `UPDATE ${t.deliveries} SET status = 'in_flight', attempts = attempts + 1, claimed_by = ?,
     lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, updated_at = UTC_TIMESTAMP(3) WHERE id IN (?)`,
    [owner, leaseSeconds, ids],
  );
  return ids;
}

/** What a claimed delivery needs to be sent. */
export async function selectClaimed(db: Conn, t: Tables, ids: number[]): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT d.id, d.webhook_id, d.event, d.attempts, e.uid, e.payload, w.url, w.status AS webhook_status,
       w.retry_count, w.secret_enc, w.previous_secret_enc, w.previous_secret_expires_at, w.headers_enc
     FROM ${t.deliveries} d JOIN ${t.events} e ON e.id = d.event_id JOIN ${t.webhooks} w ON w.id = d.webhook_id
     WHERE d.id IN (?)`,
    [ids],
  );
  return rows as ClaimedDelivery[];
}

/**
 * Extends the leases of `owner`'s attempts under way, so that a lease runs out only when its owner is gone
 * (crashed, frozen or cut off from the database), never because a send or its recording took long. Touches only
 * rows still claimed by `owner`: one another worker took over after an expiry stays theirs.
 */
export async function renewLeases(
  db: Conn,
  t: Tables,
  owner: string,
  ids: number[],
  leaseSeconds: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE ${t.deliveries} SET lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND
     WHERE id IN (?) AND claimed_by = ? AND status = 'in_flight'`,
    [leaseSeconds, ids, owner],
  );
}

/**
 * Makes deliveries whose lease ran out (their owner died) due again, keeping their place in the queue (their
 * next_attempt_at had passed when they were claimed, so they come before newer work). Returns how many. `own` are
 * the caller's attempts still under way: their leases may have lapsed only because the database was unreachable
 * for a while, and the caller is about to record them, so they are left alone.
 */
export async function releaseExpiredLeases(
  db: Conn,
  t: Tables,
  own: { owner: string; ids: number[] } = { owner: '', ids: [] },
): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE ${t.deliveries} SET status = 'pending', lease_until = NULL, claimed_by = NULL, updated_at = UTC_TIMESTAMP(3)
     WHERE status = 'in_flight' AND lease_until < UTC_TIMESTAMP(3)
       AND NOT (claimed_by <=> ? AND id IN (?))`,
    [own.owner, own.ids.length ? own.ids : [0]],
  );
  return result.affectedRows;
}

/** Gives claimed deliveries back without counting an attempt (graceful shutdown). */
export async function releaseClaims(db: Conn, t: Tables, owner: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE ${t.deliveries} SET status = 'pending', attempts = GREATEST(attempts - 1, 0), lease_until = NULL,
       claimed_by = NULL, updated_at = UTC_TIMESTAMP(3) WHERE id IN (?) AND claimed_by = ? AND status = 'in_flight'`,
    [ids, owner],
  );
}

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

/** Seconds until the earliest pending delivery is due (0 when one is due now), or null when none is pending. */
export async function secondsUntilNextDue(db: Conn, t: Tables): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), MIN(next_attempt_at)) AS us FROM ${t.deliveries} WHERE status = 'pending'`,
  );
  const us = rows[0]?.us;
  return us === null || us === undefined ? null : Math.max(0, Number(us) / 1e6);
}
