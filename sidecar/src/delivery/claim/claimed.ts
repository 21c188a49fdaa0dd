/** SQL for claimed deliveries and their leases: what sending needs, renew, give back, expire, next due. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from '../../db/pool.ts';

export interface ClaimedDelivery {
  id: number;
  webhook_id: number;
  event: string;
  attempts: number;
  uid: string;
  payload: string;
  /** The masked URL; the real one is sealed in url_enc. */
  url: string;
  url_enc: string | null;
  webhook_status: string;
  retry_count: number;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: string | null;
  headers_enc: string;
  webhook_name: string;
  /** The webhook's destination settings (db/webhooks.ts WebhookRow). */
  format: string;
  template: string | null;
  content_type: string | null;
  options: string | null;
  rate_limit: string | null;
  /** The body an earlier attempt sent, with its Content-Type and format: retries send it again. */
  rendered_body: string | null;
  rendered_type: string | null;
  rendered_format: string | null;
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

/** Seconds until the earliest pending delivery is due (0 when one is due now), or null when none is pending. */
export async function secondsUntilNextDue(db: Conn, t: Tables): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), MIN(next_attempt_at)) AS us FROM ${t.deliveries} WHERE status = 'pending'`,
  );
  const us = rows[0]?.us;
  return us === null || us === undefined ? null : Math.max(0, Number(us) / 1e6);
}
