import type mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * The recorder writes a batch as one script: attempt rows, deliveries delivered and the webhook's success go with
 * BEGIN and COMMIT in one round trip. Counted on the script pool's connections: every query that inserts attempt
 * rows, and what else it carries.
 */
const h = useSidecarHarness({ pollMs: 60_000 });
const recordings: string[] = [];

function watch(pool: mysql.Pool): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const conn = await getConnection();
    const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
    conn.query = ((...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('INSERT INTO `wp_fcwh_attempts`'))
        recordings.push(args[0]);
      return query(...args);
    }) as typeof conn.query;
    return conn;
  };
}

beforeAll(() => watch(h().deps.scriptDb));

async function count(sql: string): Promise<number> {
  const [[row]] = (await h().database.pool.query(sql)) as never as [[{ n: number }]];
  return Number(row.n);
}

describe('recording a batch', () => {
  it('sends attempt rows, delivered rows, the success and COMMIT in one round trip', async () => {
    await h().webhook('recorded', ['feed.deleted']);
    const occurred_at = new Date().toISOString();
    const events = Array.from({ length: 8 }, (_, i) => ({
      hook: 'fluent_community/feed/deleted',
      args: [String(i + 1)],
      actor_id: 0,
      occurred_at,
    }));
    expect((await h().json('POST', '/events', { events })).status).toBe(202);
    const deadline = Date.now() + 5000;
    while ((await count(`SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'delivered'`)) < 8) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await count('SELECT COUNT(*) AS n FROM wp_fcwh_attempts')).toBe(8);
    expect(recordings.length).toBeGreaterThanOrEqual(1);
    for (const script of recordings) {
      expect(script.startsWith('START TRANSACTION')).toBe(true);
      expect(script).toContain("UPDATE `wp_fcwh_deliveries` SET status = 'delivered'");
      expect(script.trimEnd().endsWith('COMMIT')).toBe(true);
    }
    // The webhook's success (last_triggered_at) went with the first batch.
    expect(recordings[0]).toContain('UPDATE `wp_fcwh_webhooks` SET last_triggered_at');
  });
});
