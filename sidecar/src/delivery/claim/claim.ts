/** The claim: due deliveries read, locked, leased to a worker and read with what sending needs, in one commit. */
import type { RowDataPacket } from 'mysql2';
import type { ClaimedDelivery } from './claimed.ts';
import type { Conn, Tables } from '../../db/pool.ts';
import type { ScriptTransaction, Statement } from '../../db/scripts.ts';

/** What a claim asks for. */
export interface ClaimRequest {
  /** The claiming worker (`claimed_by`). */
  owner: string;
  /** Most deliveries to take. */
  limit: number;
  leaseSeconds: number;
  /** Webhooks at their concurrency limit: their rows are not claimed. */
  skipWebhooks: number[];
  /**
   * The webhooks whose due rows to read, each on its own (claim_by_webhook, at most its room), when some are
   * skipped: a stuck webhook's backlog is then never read. Null: every due row is read in due order (due_claim),
   * passing over the skipped webhooks' rows, which is cheaper with many webhooks and nothing skipped.
   */
  onlyWebhooks?: number[] | null;
  /** How many more deliveries of a webhook may be claimed now. */
  room: (webhookId: number) => number;
}

export interface Claim {
  /** Claimed (in flight, leased to the owner) with what sending needs; committed once the claim returns. */
  deliveries: ClaimedDelivery[];
  /**
   * Due rows read but not taken: their webhook had no room (one of its attempts ending makes room), or the claim
   * was full.
   */
  heldBack: number;
  /** It took as many as it asked for: more may be due. */
  full: boolean;
  /** Webhooks at their limit were passed over: some of their rows may be due. */
  skipped: boolean;
}

/** Most webhooks read one by one in a claim (see ClaimRequest.onlyWebhooks); beyond, the claim reads in due order. */
export const maxClaimWebhooks = 50;

/** Every webhook's id (a claim's candidates when some webhook is skipped). */
export async function selectWebhookIds(db: Conn, t: Tables): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT id FROM ${t.webhooks}`);
  return rows.map((r) => Number(r.id));
}

/** The oldest due rows, locked; SKIP LOCKED passes over rows other claimers hold. */
function dueRows(t: Tables, request: ClaimRequest): Statement {
  const skip = request.skipWebhooks.length ? 'AND webhook_id NOT IN (?)' : '';
  return {
    sql: `SELECT id, webhook_id FROM ${t.deliveries} WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) ${skip}
     ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
    values: request.skipWebhooks.length ? [request.skipWebhooks, request.limit] : [request.limit],
  };
}

/** One webhook's oldest due rows, at most `take`, locked: one index range, read in order (no sort). */
function dueRowsOf(t: Tables, webhookId: number, take: number): Statement {
  return {
    sql: `SELECT id, webhook_id, next_attempt_at FROM ${t.deliveries} FORCE INDEX (claim_by_webhook)
     WHERE status = 'pending' AND webhook_id = ? AND next_attempt_at <= UTC_TIMESTAMP(3)
     ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
    values: [webhookId, take],
  };
}

/** The statements reading due rows for `request`: one in due order, or one per webhook. */
function dueReads(t: Tables, request: ClaimRequest): Statement[] {
  if (!request.onlyWebhooks) return [dueRows(t, request)];
  return request.onlyWebhooks
    .map((webhookId) => ({ webhookId, take: Math.min(request.limit, request.room(webhookId)) }))
    .filter((w) => w.take > 0)
    .map((w) => dueRowsOf(t, w.webhookId, w.take));
}

/** Rows read webhook by webhook, merged in due order (DATETIME(3) strings sort as the times they are). */
const inDueOrder = (reads: RowDataPacket[][]) =>
  reads.flat().sort((a, b) => {
    const at = String(a.next_attempt_at);
    const bt = String(b.next_attempt_at);
    return at < bt ? -1 : at > bt ? 1 : Number(a.id) - Number(b.id);
  });

/** Of the due rows, oldest first, up to `limit` whose webhook has room. */
function pick(rows: RowDataPacket[], limit: number, room: (webhookId: number) => number): number[] {
  const taken = new Map<number, number>();
  const ids: number[] = [];
  for (const r of rows) {
    if (ids.length >= limit) break;
    const webhookId = Number(r.webhook_id);
    const n = taken.get(webhookId) ?? 0;
    if (n >= room(webhookId)) continue;
    taken.set(webhookId, n + 1);
    ids.push(Number(r.id));
  }
  return ids;
}

/**
 * Claims due deliveries with a lease and commits `tx`, in two round trips: `before` (the drain's writes) with the
 * read of due rows, then the claim, the read of what sending needs, and COMMIT. Returns the results of `before`,
 * and the claim (none when `request` is null: `before` is committed alone, in one round trip).
 *
 * SKIP LOCKED makes concurrent claimers (other workers, other sidecars) pass over each other's rows instead of
 * waiting or deadlocking; the lease marks them taken after the commit, and a crashed owner's rows become due again
 * when the lease runs out (see releaseExpiredLeases). `room` matters because the oldest due rows are often one
 * webhook's backlog (a dead endpoint), and taking all of them would give it every free slot. Rows locked but not
 * kept are not written, so the commit simply unlocks them for the next claim.
 */
export async function claimAndCommit(
  tx: ScriptTransaction,
  t: Tables,
  request: ClaimRequest | null,
  before: Statement[] = [],
): Promise<{ before: unknown[]; claim: Claim | null }> {
  if (!request) return { before: await tx.commitWith(before), claim: null };
  const reads = dueReads(t, request);
  if (reads.length === 0) return { before: await tx.commitWith(before), claim: claimOf(request, [], 0) };
  const results = await tx.run([...before, ...reads]);
  const read = results.splice(before.length) as RowDataPacket[][];
  const rows = request.onlyWebhooks ? inDueOrder(read) : read[0]!;
  const ids = pick(rows, request.limit, request.room);
  const heldBack = rows.length - ids.length;
  if (ids.length === 0) {
    await tx.commitWith([]);
    return { before: results, claim: claimOf(request, [], heldBack) };
  }
  const [, deliveries] = await tx.commitWith([
    {
      sql: `UPDATE ${t.deliveries} SET status = 'in_flight', attempts = attempts + 1, claimed_by = ?,
       lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, updated_at = UTC_TIMESTAMP(3) WHERE id IN (?)`,
      values: [request.owner, request.leaseSeconds, ids],
    },
    {
      sql: `SELECT d.id, d.webhook_id, d.event, d.attempts, e.uid, e.payload, w.url, w.url_enc, w.status AS webhook_status,
         w.retry_count, w.secret_enc, w.previous_secret_enc, w.previous_secret_expires_at, w.headers_enc,
         w.name AS webhook_name, w.format, w.template, w.content_type, w.options, w.rate_limit,
         d.rendered_body, d.rendered_type, d.rendered_format
       FROM ${t.deliveries} d JOIN ${t.events} e ON e.id = d.event_id JOIN ${t.webhooks} w ON w.id = d.webhook_id
       WHERE d.id IN (?) ORDER BY d.next_attempt_at, d.id`,
      values: [ids],
    },
  ]);
  return { before: results, claim: claimOf(request, deliveries as ClaimedDelivery[], heldBack) };
}

const claimOf = (request: ClaimRequest, deliveries: ClaimedDelivery[], heldBack: number): Claim => ({
  deliveries,
  heldBack,
  full: deliveries.length >= request.limit,
  skipped: request.skipWebhooks.length > 0,
});
