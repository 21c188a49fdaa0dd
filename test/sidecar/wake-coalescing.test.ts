import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type mysql from 'mysql2/promise';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sidecarRoutes } from '../../shared/routes.ts';
import { createApp } from '../../sidecar/src/app.ts';
import { createSidecarServer } from '../../sidecar/src/http/server.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * Wake-ups through the production server into a real worker. The worker polls only once a minute here, so every
 * drain counted comes from a wake-up. A drain is counted by its inbox claim (`SELECT … FOR UPDATE SKIP LOCKED`).
 */
const h = useSidecarHarness({ worker: false, pollMs: 60_000 });
let server: Server;
let url: string;
let drains = 0;
/** Drains under way now, and the most at once. */
let draining = 0;
let mostAtOnce = 0;
/** When set, the next inbox claim waits for it: a drain held open while wake-ups arrive. */
let hold: Promise<void> | undefined;

/** The drain's first script: BEGIN with the read of the inbox (its later scripts delete inbox rows and claim). */
const isInboxClaim = (sql: unknown) =>
  typeof sql === 'string' && /SELECT[^;]*fcwh_inbox[^;]*FOR UPDATE/.test(sql);

/** Counts (and can hold) the inbox claims of every transaction the sidecar opens on `pool`. */
function watchDrains(pool: mysql.Pool): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const conn = await getConnection();
    const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
    conn.query = (async (...args: unknown[]) => {
      if (isInboxClaim(args[0])) {
        drains++;
        mostAtOnce = Math.max(mostAtOnce, ++draining);
        const end = conn.release.bind(conn);
        conn.release = () => {
          draining--;
          end();
        };
        const held = hold;
        hold = undefined;
        if (held) await held;
      }
      return query(...args);
    }) as typeof conn.query;
    return conn;
  };
}

beforeAll(async () => {
  watchDrains(h().deps.scriptDb);
  h().worker.start();
  server = createSidecarServer(h().deps, createApp(h().deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${sidecarRoutes.wake.path}`;
  await until(() => drains >= 1); // the worker looks at the inbox once when it starts
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});
beforeEach(async () => {
  await settle();
  drains = 0;
  mostAtOnce = 0;
});

async function until(done: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Waits until nothing is drained for 300 ms. */
async function settle(): Promise<void> {
  let seen = -1;
  while (seen !== drains) {
    seen = drains;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function wakeAll(n: number): Promise<void> {
  const authorization = `Bearer ${h().config.secret}`;
  const statuses = await Promise.all(
    Array.from({ length: n }, () =>
      request(url, { method: 'POST', headers: { authorization }, body: '{}' }).then(async (res) => {
        await res.body.dump();
        return res.statusCode;
      }),
    ),
  );
  expect(statuses).toEqual(Array(n).fill(204));
}

const count = async (table: string) =>
  Number(
    (
      (await h().database.pool.query(`SELECT COUNT(*) AS n FROM ${table}`)) as [{ n: number }[], unknown]
    )[0][0]!.n,
  );

async function writeInbox(rows: number): Promise<void> {
  const values = Array.from({ length: rows }, (_, i) => [
    'fluent_community/feed/deleted',
    JSON.stringify([String(i + 1)]),
    0,
    `wake-test-${Date.now()}-${i}`,
  ]);
  await h().database.pool.query(
    'INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES ?',
    [values.map((v) => [...v, new Date().toISOString().slice(0, 19).replace('T', ' ')])],
  );
}

describe('wake-ups are coalesced', () => {
  it('drains nothing without a wake-up (the test counts only what wake-ups cause)', async () => {
    await writeInbox(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(drains).toBe(0);
    expect(await count('wp_fcwh_inbox')).toBe(3);
    await wakeAll(1);
    await until(async () => (await count('wp_fcwh_inbox')) === 0);
    expect(drains).toBe(1);
  });

  it('makes exactly one more drain for any number of wake-ups that arrive during a drain', async () => {
    const events = await count('wp_fcwh_events');
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    await writeInbox(5);
    await wakeAll(1);
    await until(() => drains === 1); // held at its inbox claim
    await wakeAll(50);
    await writeInbox(2);
    expect(drains).toBe(1);
    release();
    await until(async () => (await count('wp_fcwh_inbox')) === 0);
    await settle();
    expect(drains).toBe(2);
    expect(await count('wp_fcwh_events')).toBe(events + 7);
  });

  it('runs one drain at a time and fewer drains than wake-ups for a burst of 200, storing every row', async () => {
    const events = await count('wp_fcwh_events');
    await writeInbox(20);
    await wakeAll(200);
    await until(async () => (await count('wp_fcwh_inbox')) === 0);
    await settle();
    // Wake-ups spread over several drains make one more each (the test above), so the count depends on timing.
    expect(drains).toBeGreaterThanOrEqual(1);
    expect(drains).toBeLessThan(200);
    expect(mostAtOnce).toBe(1);
    expect(await count('wp_fcwh_events')).toBe(events + 20);
  });
});
