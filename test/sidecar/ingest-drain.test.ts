import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../sidecar/src/ingest/build.ts';
import { drainInboxOnce } from '../../sidecar/src/ingest/ingest.ts';
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

describe('the inbox drain', () => {
  it('stores a batch without calling `then` when the batch made no delivery (nothing new to claim)', async () => {
    await writeInbox(['1', '2', '3']);
    let calls = 0;
    const result = await drainInboxOnce(h().deps, async () => ++calls);
    expect(result).toEqual({ rows: 3 });
    expect(calls).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(3);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_inbox')).toBe(0);
  });

  it('calls `then` inside the same transaction when the batch made deliveries, and returns its value', async () => {
    const created = await h().json('POST', '/admin/webhooks', {
      name: 'drain',
      url: `${h().receiver.url}/drain`,
      events: ['feed.deleted'],
    });
    expect(created.status).toBe(201);
    await writeInbox(['4', '5']);
    const result = await drainInboxOnce(h().deps, async (conn) => {
      // Uncommitted yet: the deliveries are visible only to the drain's own transaction.
      const [[own]] = (await conn.query(
        `SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'pending'`,
      )) as never as [[{ n: number }]];
      const outside = await count(`SELECT COUNT(*) AS n FROM wp_fcwh_deliveries`);
      return { own: Number(own.n), outside };
    });
    expect(result).toEqual({ rows: 2, then: { own: 2, outside: 0 } });
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries')).toBe(2);
  });

  it('calls nothing and changes nothing when the inbox is empty', async () => {
    let calls = 0;
    expect(await drainInboxOnce(h().deps, async () => ++calls)).toEqual({ rows: 0 });
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
