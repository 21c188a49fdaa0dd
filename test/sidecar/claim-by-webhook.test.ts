/**
 * Claims while a webhook is at its limit read the other webhooks' due rows one by one (claim_by_webhook), never the
 * stuck webhook's backlog; the rows they take are the same oldest-first rows a read in due order takes.
 */
import { describe, expect, it } from 'vitest';
import { claimAndCommit, type ClaimRequest } from '../../sidecar/src/delivery/claim/claim.ts';
import { inScriptTransaction } from '../../sidecar/src/db/scripts.ts';
import { sessionCounters } from '../helpers/db.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ worker: false });

const webhook = (name: string) => h().webhook(name, ['feed.created']);

/** `n` due deliveries of `webhookId`, due `secondsAgo` seconds ago (older first by id). */
async function due(webhookId: number, n: number, secondsAgo: number): Promise<void> {
  const pool = h().database.pool;
  await pool.query(
    `INSERT INTO wp_fcwh_events (uid, event, payload, created_at) VALUES (?, 'feed.created', '{}', UTC_TIMESTAMP(3))`,
    [`msg_${webhookId}_${secondsAgo}_${n}`],
  );
  await pool.query(
    `INSERT INTO wp_fcwh_deliveries (webhook_id, event_id, event, status, next_attempt_at, created_at, updated_at)
     SELECT ?, LAST_INSERT_ID(), 'feed.created', 'pending', UTC_TIMESTAMP(3) - INTERVAL ? SECOND, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
     FROM seq_1_to_${n}`,
    [webhookId, secondsAgo],
  );
}

/** Claims with `request`, returning the webhook of each claimed delivery and the index rows the claim read. */
async function claim(request: ClaimRequest): Promise<{ webhooks: number[]; rowsRead: number }> {
  return inScriptTransaction(h().deps.scriptDb, async (tx) => {
    const reads = () =>
      sessionCounters(
        tx.conn,
        `Variable_name IN ('Handler_read_next', 'Handler_read_key', 'Handler_read_first')`,
      );
    const before = await reads();
    const { claim } = await claimAndCommit(tx, h().deps.tables, request);
    const rowsRead = (await reads()) - before;
    return { webhooks: claim!.deliveries.map((d) => Number(d.webhook_id)), rowsRead };
  });
}

describe('claims beside a webhook at its limit', () => {
  it('read only the other webhooks’ due rows, whatever the stuck one’s backlog', async () => {
    const stuck = await webhook('stuck');
    const healthy = await webhook('healthy');
    const quiet = await webhook('quiet');
    await due(stuck, 3000, 60); // its backlog comes first in due order
    await due(healthy, 5, 30);
    const base = { owner: 'claim-test', limit: 32, leaseSeconds: 60, skipWebhooks: [stuck] };
    const room = (id: number) => (id === stuck ? 0 : 16);

    const byWebhook = await claim({ ...base, onlyWebhooks: [healthy, quiet], room });
    expect(byWebhook.webhooks).toEqual([healthy, healthy, healthy, healthy, healthy]);
    expect(byWebhook.rowsRead).toBeLessThan(50);

    // A claim reading in due order takes the same rows (how many it reads is the optimizer's choice of index).
    await h().database.pool.query(
      `UPDATE wp_fcwh_deliveries SET status = 'pending', claimed_by = NULL, lease_until = NULL WHERE webhook_id = ?`,
      [healthy],
    );
    const inDueOrder = await claim({ ...base, onlyWebhooks: null, room });
    expect(inDueOrder.webhooks).toEqual(byWebhook.webhooks);
  });

  it('takes the oldest due rows across webhooks, within each one’s room and the claim’s limit', async () => {
    await h().database.pool.query('DELETE FROM wp_fcwh_deliveries');
    const a = await webhook('a');
    const b = await webhook('b');
    const c = await webhook('c');
    await due(a, 4, 50);
    await due(b, 4, 40);
    await due(c, 4, 45);
    const result = await claim({
      owner: 'claim-test',
      limit: 7,
      leaseSeconds: 60,
      skipWebhooks: [999],
      onlyWebhooks: [b, c, a],
      room: (id) => (id === a ? 2 : 16),
    });
    // a's two oldest (its room), then c's four (45 s ago), then one of b's (40 s ago): 7 in due order.
    expect(result.webhooks).toEqual([a, a, c, c, c, c, b]);
    const [[left]] = (await h().database.pool.query(
      `SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'pending' AND webhook_id IN (?)`,
      [[a, b, c]],
    )) as never as [[{ n: number }]];
    expect(Number(left.n)).toBe(5);
  });
});
