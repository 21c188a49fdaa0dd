import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../sidecar/src/ingest/build.ts';
import type { ClaimRequest } from '../../sidecar/src/delivery/claim/claim.ts';
import { inboxSelect, type InboxRow } from '../../sidecar/src/db/events.ts';
import { inScriptTransaction } from '../../sidecar/src/db/scripts.ts';
import { drainFanOutClaim } from '../../sidecar/src/delivery/pipeline.ts';
import { openWebhook } from '../../sidecar/src/sealed-webhook.ts';
import { sessionCounters } from '../helpers/db.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ worker: false });

async function writeInbox(ids: string[]): Promise<void> {
  const at = new Date().toISOString().slice(0, 19).replace('T', ' ');
  await h().database.pool.query(
    'INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES ?',
    [ids.map((id) => ['fluent_community/feed/deleted', JSON.stringify([id]), 0, `drain-${id}`, at])],
  );
}

const count = async (sql: string) =>
  Number(((await h().database.pool.query(sql)) as never as [[{ n: number }]])[0][0].n);

const claimAll = (owner: string): ClaimRequest => ({
  owner,
  limit: 100,
  leaseSeconds: 60,
  skipWebhooks: [],
  room: () => Infinity,
});

describe('the inbox drain', () => {
  it('stores a batch and claims nothing when no claim is asked for', async () => {
    await writeInbox(['1', '2', '3']);
    const result = await drainFanOutClaim(h().deps);
    expect(result).toEqual({ rows: 3, more: false });
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(3);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_inbox')).toBe(0);
  });

  it('fans out and claims the new deliveries in the same commit, with what sending them needs', async () => {
    await h().webhook('drain', ['feed.deleted']);
    // Events stored earlier by another batch are not fanned out again (the fan-out takes this batch's ids only).
    await writeInbox(['3']);
    expect((await drainFanOutClaim(h().deps)).rows).toBe(1);
    await h().database.pool.query('DELETE FROM wp_fcwh_deliveries');
    await writeInbox(['4', '5']);
    const result = await drainFanOutClaim(h().deps, () => claimAll('drain-test'));
    expect(result.rows).toBe(2);
    expect(result.claim?.heldBack).toBe(0);
    const claimed = result.claim!.deliveries;
    expect(claimed.map((d) => JSON.parse(d.payload).data)).toEqual([{ id: 4 }, { id: 5 }]);
    // What sending needs: the sealed URL (the url column is its masked form), secrets and headers.
    const opened = claimed.map((d) => openWebhook({ ...d, id: d.webhook_id }, h().deps.cipher).url);
    expect(opened).toEqual([`${h().receiver.url}/drain`, `${h().receiver.url}/drain`]);
    expect(claimed.every((d) => Number(d.attempts) === 1)).toBe(true);
    const [rows] = (await h().database.pool.query(
      `SELECT status, claimed_by FROM wp_fcwh_deliveries ORDER BY id`,
    )) as never as [{ status: string; claimed_by: string }[]];
    expect(rows).toEqual([
      { status: 'in_flight', claimed_by: 'drain-test' },
      { status: 'in_flight', claimed_by: 'drain-test' },
    ]);
  });

  it("leaves a webhook's rows beyond its room pending and counts them held back", async () => {
    const id = await h().webhook('room', ['feed.deleted']);
    await h().database.pool.query('DELETE FROM wp_fcwh_deliveries');
    await writeInbox(['6', '7', '8']);
    // One more of this webhook's deliveries may go now, none of the other one's.
    const result = await drainFanOutClaim(h().deps, () => ({
      ...claimAll('room-test'),
      room: (webhookId) => (webhookId === id ? 1 : 0),
    }));
    expect(result.claim?.deliveries.map((d) => Number(d.webhook_id))).toEqual([id]);
    expect(result.claim?.heldBack).toBe(5);
    expect(await count(`SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'pending'`)).toBe(5);
  });

  it('rolls the whole batch back when the transaction fails after its writes: nothing stored, inbox kept', async () => {
    await writeInbox(['9', '10']);
    const before = {
      events: await count('SELECT COUNT(*) AS n FROM wp_fcwh_events'),
      deliveries: await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries'),
    };
    // `room` runs once the writes and the read of due rows have run, before the claim and COMMIT.
    const failing = () => ({
      ...claimAll('failing'),
      room: () => {
        throw new Error('claim refused');
      },
    });
    await expect(drainFanOutClaim(h().deps, failing)).rejects.toThrow('claim refused');
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_inbox')).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(before.events);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries')).toBe(before.deliveries);
    expect((await drainFanOutClaim(h().deps)).rows).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(before.events + 2);
  });

  it('reads arguments up to a byte budget and leaves the rest, whole, for the next batch', async () => {
    const big = (n: number) => JSON.stringify([String(n), 'x'.repeat(3000)]);
    const at = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const before = await count('SELECT COUNT(*) AS n FROM wp_fcwh_events');
    await h().database.pool.query(
      'INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES ?',
      [[11, 12, 13, 14, 15].map((n) => ['fluent_community/feed/deleted', big(n), 0, `big-${n}`, at])],
    );
    // 7,000 bytes take two of these rows; a row alone larger than the budget is still taken, one at a time.
    const sizes: number[] = [];
    for (const budget of [7000, 7000, 100]) {
      const result = await drainFanOutClaim(h().deps, undefined, 500, budget);
      sizes.push(result.rows);
      expect(result.more).toBe(budget === 100 ? false : true);
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_inbox')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(before + 5);
  });

  it('reads the oldest batch of a long inbox, not every row waiting', async ({ onTestFinished }) => {
    await h().database.pool.query('DELETE FROM wp_fcwh_inbox');
    onTestFinished(async () => {
      await h().database.pool.query('DELETE FROM wp_fcwh_inbox');
    });
    await h().database.pool.query(
      `INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at)
       SELECT 'fluent_community/feed/deleted', CONCAT('["', seq, '"]'), 0, 'long', UTC_TIMESTAMP() FROM seq_1_to_3000`,
    );
    const rowsRead = await inScriptTransaction(h().deps.scriptDb, async (tx) => {
      const reads = () =>
        sessionCounters(
          tx.conn,
          `Variable_name LIKE 'Handler_read_%' OR Variable_name = 'Handler_tmp_write'`,
        );
      const before = await reads();
      const [selected] = (await tx.run([inboxSelect(h().deps.tables, 10, 4096)])) as [InboxRow[]];
      expect(selected.map((r) => r.args)).toEqual(Array.from({ length: 10 }, (_, i) => `["${i + 1}"]`));
      return (await reads()) - before;
    });
    // ~160 handler calls for 10 rows (the derived tables' writes and reads included); a window over the whole inbox
    // read and wrote all 3,000 rows.
    expect(rowsRead).toBeLessThan(500);
  });

  it('calls nothing and changes nothing when the inbox is empty', async () => {
    let calls = 0;
    expect(
      await drainFanOutClaim(h().deps, () => {
        calls++;
        return claimAll('empty');
      }),
    ).toEqual({ rows: 0, more: false });
    expect(calls).toBe(0);
  });
});

describe('message ids', () => {
  it('are msg_ and 26 base32 characters, all different, across many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, newMessageId);
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet turns up (the bytes are not biased to a part of it).
    expect(new Set(ids.join('').replaceAll('msg_', '')).size).toBe(32);
  });
});
