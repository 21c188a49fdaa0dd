import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectActor, selectUser } from '../../sidecar/src/db/events.ts';
import { buildEvents, createLookups } from '../../sidecar/src/ingest/build.ts';
import type { Conn } from '../../sidecar/src/db/pool.ts';
import { exampleCalls } from '../../shared/event-examples.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/** The acting user and their Fluent Community profile are read with one statement on the event's way out. */
const h = useSidecarHarness({ worker: false });

beforeAll(async () => {
  const q = (sql: string) => h().database.pool.query(sql);
  await q(`CREATE TABLE IF NOT EXISTS wp_users (ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_login VARCHAR(60) NOT NULL DEFAULT '', user_pass VARCHAR(255) NOT NULL DEFAULT '',
    user_email VARCHAR(100) NOT NULL DEFAULT '', user_url VARCHAR(100) NOT NULL DEFAULT '',
    user_registered DATETIME NOT NULL DEFAULT '2024-01-01 00:00:00', display_name VARCHAR(250) NOT NULL DEFAULT '')`);
  await q(`CREATE TABLE IF NOT EXISTS wp_usermeta (umeta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL, meta_key VARCHAR(255) NULL, meta_value LONGTEXT NULL, KEY user_id (user_id))`);
  await q(`CREATE TABLE IF NOT EXISTS wp_fcom_xprofile (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL, display_name VARCHAR(192) NULL, username VARCHAR(100) NULL,
    total_points INT NOT NULL DEFAULT 0, meta LONGTEXT NULL, created_at TIMESTAMP NULL, KEY user_id (user_id))`);
  await q(`INSERT INTO wp_users (ID, user_login, user_pass, user_email, display_name) VALUES
    (1, 'ada', 'secret-hash', 'ada@example.com', 'Ada Lovelace'), (2, 'grace', '', 'grace@example.com', 'Grace')`);
  await q(`INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES (1, 'first_name', 'Ada'),
    (1, 'last_name', 'Lovelace')`);
  // User 3 has a profile and no user row (deleted user); user 2 a user row and no profile.
  await q(`INSERT INTO wp_fcom_xprofile (id, user_id, display_name, username, total_points, meta, created_at) VALUES
    (7, 1, 'Ada L.', 'ada', 42, 'a:0:{}', '2024-01-02 03:04:05'), (8, 3, 'Ghost', 'ghost', 1, NULL, NULL)`);
});
afterAll(async () => {
  await h().database.pool.query('DROP TABLE IF EXISTS wp_users, wp_usermeta, wp_fcom_xprofile');
});

/** The profile row as the sidecar's pool reads it on its own (the read this replaces). */
const profileOf = async (userId: number) =>
  (
    (await h().deps.db.query('SELECT * FROM wp_fcom_xprofile WHERE user_id = ?', [userId])) as never as [
      Record<string, unknown>[],
    ]
  )[0][0] ?? null;

/** Counts the statements that read the user or profile tables through a connection. */
function counting(conn: Conn): { conn: Conn; reads: () => number } {
  let reads = 0;
  const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = Object.create(conn) as Conn;
  (wrapped as unknown as { query: unknown }).query = (...args: unknown[]) => {
    const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { sql: string }).sql;
    if (/wp_users|wp_fcom_xprofile/.test(sql)) reads++;
    return query(...args);
  };
  return { conn: wrapped, reads: () => reads };
}

describe('the acting user and profile', () => {
  it('reads the same user and profile rows as the separate reads did', async () => {
    const { deps } = h();
    const actor = await selectActor(deps.db, deps.tables, 1);
    expect(actor.user).toEqual(await selectUser(deps.db, deps.tables, 1));
    expect(actor.user).toMatchObject({
      ID: 1,
      first_name: 'Ada',
      last_name: 'Lovelace',
      display_name: 'Ada Lovelace',
    });
    expect(actor.user).not.toHaveProperty('user_pass');
    expect(actor.xprofile).toEqual(await profileOf(1));
    expect(actor.xprofile).toMatchObject({ id: 7, user_id: 1, total_points: 42, display_name: 'Ada L.' });
  });

  it('gives null for what is missing: a user without a profile, a profile without a user, neither', async () => {
    const { deps } = h();
    expect(await selectActor(deps.db, deps.tables, 2)).toEqual({
      user: await selectUser(deps.db, deps.tables, 2),
      xprofile: null,
    });
    expect(await selectActor(deps.db, deps.tables, 3)).toEqual({ user: null, xprofile: await profileOf(3) });
    expect(await selectActor(deps.db, deps.tables, 99)).toEqual({ user: null, xprofile: null });
  });

  it("builds an actor's events with one read of the user and profile tables for the whole batch", async () => {
    const { deps } = h();
    const example = exampleCalls['feed.created'];
    const call = {
      hook: example.hook,
      args: example.args as unknown[],
      actor_id: 1,
      occurred_at: new Date().toISOString(),
    };
    const { conn, reads } = counting(deps.db);
    const lookups = createLookups(conn, deps.tables);
    const [first] = await buildEvents(call, lookups);
    await buildEvents(call, lookups);
    expect(reads()).toBe(1);
    const payload = JSON.parse(first!.payload) as { xprofile: Record<string, unknown> };
    expect(payload.xprofile).toMatchObject({ user_id: 1, display_name: 'Ada L.', total_points: 42 });
  });

  it('reads the user alone when Fluent Community is not installed', async () => {
    const { deps } = h();
    await h().database.pool.query('DROP TABLE wp_fcom_xprofile');
    expect(await selectActor(deps.db, deps.tables, 1)).toEqual({
      user: await selectUser(deps.db, deps.tables, 1),
      xprofile: null,
    });
  });
});

describe('a failing actor read', () => {
  it('rejects the call that needs it and leaves no unhandled rejection behind (a sidecar on a site without its users table)', async () => {
    const { deps } = h();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const missing = { ...deps.tables, users: '`wp_no_such_users`', xprofile: '`wp_no_such_xprofile`' };
      const lookups = createLookups(deps.db, missing);
      await expect(lookups.actor(1)).rejects.toMatchObject({ errno: 1146 });
      // Unhandled rejections are reported after the microtask queue drains; give it a few turns.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
