/**
 * Retention: delivered and failed deliveries older than FCWH_RETENTION_DAYS go, with their attempts and the events
 * no delivery needs any more, in small batches; pending work and recent history stay.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/stack/wait.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { pruneAll, pruneOnce } from '../../sidecar/src/maintenance.ts';
import { startRuntime } from '../../sidecar/src/runtime.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_RETENTION_DAYS: '30' } });

const count = async (sql: string, params: unknown[] = []) => {
  const [rows] = await h().deps.db.query<RowDataPacket[]>(sql, params);
  return Number(rows[0]?.n);
};

/** Creates six delivered and two failed deliveries, then ages `old` of each kind by `days`. */
async function history() {
  const hook = (
    await h().json('POST', '/admin/webhooks', {
      name: 'r',
      url: `${h().receiver.url}/r`,
      events: ['space.deleted'],
      retry_count: 0,
    })
  ).body as { id: number };
  h().receiver.setResponder((r) => (Number(JSON.parse(r.body).data.id) > 6 ? { status: 500 } : {}));
  const calls = Array.from({ length: 8 }, (_, i) => ({
    hook: 'fluent_community/space/deleted',
    args: [i + 1],
    actor_id: 0,
    occurred_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
  }));
  expect((await h().json('POST', '/events', { events: calls })).status).toBe(202);
  await waitFor(
    'settled deliveries',
    async () =>
      (await count(
        "SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE webhook_id = ? AND status IN ('delivered', 'failed')",
        [hook.id],
      )) === 8,
    { timeoutMs: 10_000 },
  );
  h().receiver.setResponder(undefined);
  return hook.id;
}

/** Moves a webhook's deliveries with `data.id` in `ids` (and their events) `days` into the past. */
async function age(webhookId: number, ids: number[], days: number) {
  await h().deps.db.query(
    `UPDATE wp_fcwh_deliveries d JOIN wp_fcwh_events e ON e.id = d.event_id
     SET d.updated_at = d.updated_at - INTERVAL ? DAY, d.created_at = d.created_at - INTERVAL ? DAY,
       e.created_at = e.created_at - INTERVAL ? DAY
     WHERE d.webhook_id = ? AND JSON_VALUE(e.payload, '$.data.id') IN (?)`,
    [days, days, days, webhookId, ids],
  );
}

beforeEach(async () => {
  await h().deps.db.query('DELETE FROM wp_fcwh_attempts');
  await h().deps.db.query('DELETE FROM wp_fcwh_deliveries');
  await h().deps.db.query('DELETE FROM wp_fcwh_events');
  await h().deps.db.query(`UPDATE wp_fcwh_webhooks SET status = 'inactive'`);
});

describe('retention', () => {
  it('prunes old delivered and failed deliveries with their attempts and events, keeping the rest', async () => {
    const id = await history();
    await age(id, [1, 2, 7], 31); // two delivered and one failed, 31 days old
    await age(id, [3], 29); // within the 30 days
    // An old delivery still pending (a long outage, say) is work, not history: never pruned.
    await h().deps.db.query(
      `UPDATE wp_fcwh_deliveries d JOIN wp_fcwh_events e ON e.id = d.event_id
       SET d.status = 'pending', d.next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL 1 DAY,
         d.updated_at = d.updated_at - INTERVAL 40 DAY, e.created_at = e.created_at - INTERVAL 40 DAY
       WHERE d.webhook_id = ? AND JSON_VALUE(e.payload, '$.data.id') = 8`,
      [id],
    );
    const attemptsBefore = await count('SELECT COUNT(*) AS n FROM wp_fcwh_attempts');

    const pruned = await pruneAll(h().deps.db, h().deps.tables, h().config.retentionDays, 2);

    expect(pruned).toBe(3);
    const left = await h().deps.db.query<RowDataPacket[]>(
      `SELECT JSON_VALUE(e.payload, '$.data.id') AS seq, d.status FROM wp_fcwh_deliveries d
       JOIN wp_fcwh_events e ON e.id = d.event_id ORDER BY seq`,
    );
    expect(left[0].map((r) => [Number(r.seq), r.status])).toEqual([
      [3, 'delivered'],
      [4, 'delivered'],
      [5, 'delivered'],
      [6, 'delivered'],
      [8, 'pending'],
    ]);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_attempts')).toBe(attemptsBefore - 3);
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM wp_fcwh_attempts a LEFT JOIN wp_fcwh_deliveries d ON d.id = a.delivery_id WHERE d.id IS NULL',
      ),
    ).toBe(0);
    // Events: the three pruned deliveries' events went; the pending one's old event stays (it is still needed).
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(5);
  });

  it('deletes in batches of the given size, so locks stay short on a live site', async () => {
    const id = await history();
    await age(id, [1, 2, 3, 4, 5, 6, 7, 8], 31);
    expect(await pruneOnce(h().deps.db, h().deps.tables, 30, 3)).toBe(3);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries')).toBe(5);
    expect(await pruneOnce(h().deps.db, h().deps.tables, 30, 3)).toBe(3);
    expect(await pruneAll(h().deps.db, h().deps.tables, 30, 3)).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_events')).toBe(0);
  });

  it('runs by itself on the runtime timer', async () => {
    const id = await history();
    await age(id, [1, 2], 31);
    const runtime = await startRuntime(h().config, createLogger('silent'), {
      startWorker: false,
      pruneEveryMs: 100,
    });
    try {
      await waitFor(
        'the timer to prune',
        async () => (await count('SELECT COUNT(*) AS n FROM wp_fcwh_deliveries')) === 6,
        { timeoutMs: 5000 },
      );
    } finally {
      await runtime.close(0);
    }
  });
});
