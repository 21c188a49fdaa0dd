import type mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * `POST /events` with a running worker claims its new deliveries inside its own transaction: no inbox look and no
 * claim transaction of the worker follow it. The worker polls once a minute here, so nothing else claims.
 */
const h = useSidecarHarness({ pollMs: 60_000 });
let claims = 0;
let inboxLooks = 0;

function watch(pool: mysql.Pool): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const conn = await getConnection();
    const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
    conn.query = ((...args: unknown[]) => {
      const sql = String(args[0]);
      if (sql.includes('SKIP LOCKED') && sql.includes('fcwh_deliveries')) claims++;
      if (sql.includes('SKIP LOCKED') && sql.includes('fcwh_inbox')) inboxLooks++;
      return query(...args);
    }) as typeof conn.query;
    return conn;
  };
}

beforeAll(() => watch(h().deps.db));

const statuses = async () =>
  (
    (await h().database.pool.query(
      `SELECT status, COUNT(*) AS n FROM wp_fcwh_deliveries GROUP BY status`,
    )) as never as [{ status: string; n: number }[]]
  )[0].map((r) => `${r.status}:${r.n}`);

describe('POST /events with a running worker', () => {
  it('claims its deliveries in its own transaction and sends them after the commit, with no other transaction', async () => {
    const created = await h().json('POST', '/admin/webhooks', {
      name: 'ingest-claim',
      url: `${h().receiver.url}/ingest-claim`,
      events: ['feed.deleted'],
    });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 300)); // the start's own look at the queue is over
    h().receiver.clear();
    claims = 0;
    inboxLooks = 0;
    const events = ['1', '2', '3'].map((id) => ({
      hook: 'fluent_community/feed/deleted',
      args: [id],
      actor_id: 0,
      occurred_at: new Date().toISOString(),
    }));
    const res = await h().json('POST', '/events', { events });
    expect(res.status).toBe(202);
    await h().receiver.waitForRequests(3);
    const deadline = Date.now() + 5000;
    while (!(await statuses()).includes('delivered:3') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await statuses()).toEqual(['delivered:3']);
    // The ingest transaction claimed (before: a wake-up, then an inbox look and a claim, each its own transaction).
    expect(claims).toBe(1);
    expect(inboxLooks).toBe(0);
  });
});
