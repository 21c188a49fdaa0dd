/** SQL for claiming deliveries and keeping their leases: claim, read, renew, give back, expire, next due. */
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
 * not kept are not written, so the commit simply unlocks them for the next claim; `heldBack` says how many (they
 * are due, and one of their webhook's attempts ending makes room for them).
 */
export async function claimDue(
  db: Conn,
  t: Tables,
  owner: string,
  limit: number,
  leaseSeconds: number,
  skipWebhooks: number[],
  room: (webhookId: number) => number = () => Infinity,
): Promise<{ ids: number[]; heldBack: number }> {
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
  const heldBack = rows.length - ids.length;
  if (ids.length === 0) return { ids, heldBack };
  await db.query(
    `UPDATE ${t.deliveries} SET status = 'in_flight', attempts = attempts + 1, claimed_by = ?,
     lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, updated_at = UTC_TIMESTAMP(3) WHERE id IN (?)`,
    [owner, leaseSeconds, ids],
  );
  return { ids, heldBack };
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

/** Seconds until the earliest pending delivery is due (0 when one is due now), or null when none is pending. */
export async function secondsUntilNextDue(db: Conn, t: Tables): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), MIN(next_attempt_at)) AS us FROM ${t.deliveries} WHERE status = 'pending'`,
  );
  const us = rows[0]?.us;
  return us === null || us === undefined ? null : Math.max(0, Number(us) / 1e6);
}
