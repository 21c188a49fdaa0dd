import type mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * The worker claims when something may be due, not after every attempt. It polls only once a minute here, so every
 * claim counted comes from new work or a finished attempt. A claim is counted by its `SELECT … FOR UPDATE SKIP
 * LOCKED` on the deliveries table, a due-time look-up by its `MIN(next_attempt_at)`.
 */
const h = useSidecarHarness({ pollMs: 60_000 });
let claims = 0;
let dueLookups = 0;

const isClaim = (sql: unknown) =>
  typeof sql === 'string' && sql.includes('fcwh_deliveries') && sql.includes('SKIP LOCKED');

function watch(pool: mysql.Pool): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const conn = await getConnection();
    const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
    conn.query = ((...args: unknown[]) => {
      if (isClaim(args[0])) claims++;
      return query(...args);
    }) as typeof conn.query;
    return conn;
  };
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('MIN(next_attempt_at)')) dueLookups++;
    return query(...args);
  }) as typeof pool.query;
}

beforeAll(() => {
  watch(h().deps.db);
  watch(h().deps.scriptDb);
});

async function delivered(): Promise<number> {
  const [[row]] = (await h().database.pool.query(
    `SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'delivered'`,
  )) as never as [[{ n: number }]];
  return Number(row.n);
}

async function until(done: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('claims after attempts end', () => {
  it('runs no claim when attempts end after a claim that took everything due', async () => {
    await h().webhook('idle', ['feed.deleted']);
    await new Promise((r) => setTimeout(r, 300)); // the start's own look at the queue is over
    claims = 0;
    dueLookups = 0;
    const occurred_at = new Date().toISOString();
    const events = Array.from({ length: 12 }, (_, i) => ({
      hook: 'fluent_community/feed/deleted',
      args: [String(i + 1)],
      actor_id: 0,
      occurred_at,
    }));
    expect((await h().json('POST', '/events', { events })).status).toBe(202);
    await until(async () => (await delivered()) === 12);
    await new Promise((r) => setTimeout(r, 300)); // attempts ended and recorded: any claim they cause is counted
    // One claim took all 12 (within the per-webhook limit of 16); the 12 ends of HTTP exchanges and the recordings that followed claimed nothing more
    // (before: a claim transaction and a due-time look-up after each of them).
    expect(claims).toBe(1);
    expect(dueLookups).toBeLessThanOrEqual(1);
    expect(h().receiver.requests.length).toBe(12);
  });
});
