/**
 * A server whose sql_mode has NO_BACKSLASH_ESCAPES reads `\'` as a backslash followed by the end of a string, so a
 * client escaping quotes with backslashes lets a member's post end the string and run its own statements. The
 * sidecar's sessions set their own sql_mode, and its queries never put a member's text into SQL as characters.
 * A dedicated MariaDB runs in that mode: the run's shared server must keep its own.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../sidecar/src/config.ts';
import { eventsInsert } from '../../sidecar/src/db/events.ts';
import { runScript } from '../../sidecar/src/db/scripts.ts';
import { checkServer, UnsuitableServerError } from '../../sidecar/src/db/server-check.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { startRuntime, type Runtime } from '../../sidecar/src/runtime.ts';
import { rootConnection, startMariaDb, type MariaDbServer } from '../../scripts/stack/mariadb.ts';
import { loadFixture } from '../shared/hook-fixtures.ts';

/** The payload: ends the string, closes the row, sets the tagline to `pwned`, commits, comments the rest. */
const payload =
  "x',0x323032352d30312d30312030303a30303a3030); UPDATE wp_options SET option_value=0x70776e6564 WHERE option_name=0x626c6f676465736372697074696f6e; COMMIT; #";

const serverMode =
  'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES';
const dbName = 'fcwh_nbe';
const password = randomBytes(12).toString('hex');

let server: MariaDbServer;
let root: mysql.Connection;
let runtime: Runtime;

const tagline = async () =>
  (
    (await root.query(
      `SELECT option_value FROM ${dbName}.wp_options WHERE option_name = 'blogdescription'`,
    )) as never as [{ option_value: string }[]]
  )[0][0]!.option_value;

/** The `message` of every stored feed.created event, oldest first. */
const storedMessages = async () =>
  (
    (await root.query(
      `SELECT payload FROM ${dbName}.wp_fcwh_events WHERE event = 'feed.created' ORDER BY id`,
    )) as never as [{ payload: string }[]]
  )[0].map((r) => (JSON.parse(r.payload) as { data: { message: string } }).data.message);

/** feed.created's real arguments with the member's message replaced. */
function feedCreated(message: string): unknown[] {
  const [feed, ...rest] = loadFixture('feed.created').args as [Record<string, unknown>, ...unknown[]];
  return [{ ...feed, message }, ...rest];
}

beforeAll(async () => {
  server = await startMariaDb({
    dir: path.join(inject('stack').runDir, `no-backslash-escapes-${randomBytes(3).toString('hex')}`),
    extraArgs: [`--sql-mode=${serverMode}`],
  });
  root = await rootConnection(server);
  await root.query(
    `CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
     CREATE USER 'fcwh'@'%' IDENTIFIED BY '${password}'; GRANT ALL ON ${dbName}.* TO 'fcwh'@'%';
     CREATE TABLE ${dbName}.wp_options (option_name VARCHAR(191) PRIMARY KEY, option_value LONGTEXT NOT NULL);
     INSERT INTO ${dbName}.wp_options VALUES ('blogdescription', 'Just another site')`,
  );
  const config = loadConfig({
    FCWH_SECRET: randomBytes(32).toString('hex'),
    FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    FCWH_DB_HOST: `127.0.0.1:${server.port}`,
    FCWH_DB_NAME: dbName,
    FCWH_DB_USER: 'fcwh',
    FCWH_DB_PASSWORD: password,
    FCWH_TABLE_PREFIX: 'wp_',
    FCWH_LOG_LEVEL: 'silent',
  });
  runtime = await startRuntime(config, createLogger('silent'), {
    startWorker: true,
    worker: { pollMs: 100 },
  });
}, 90_000);

afterAll(async () => {
  await runtime?.close(2000);
  await root?.end();
  await server?.stop();
});

describe('a server in NO_BACKSLASH_ESCAPES mode', () => {
  it('stores a post sent to POST /events verbatim and runs none of its text', async () => {
    const res = await runtime.app.request('/events', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${runtime.deps.config.secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        events: [
          {
            hook: 'fluent_community/feed/created',
            args: feedCreated(payload),
            actor_id: 0,
            occurred_at: '2026-12-01 10:00:00',
            request_id: 'nbe-http',
          },
        ],
      }),
    });
    expect(res.status).toBeLessThan(300);
    expect(await tagline()).toBe('Just another site');
    expect(await storedMessages()).toContain(payload);
  });

  it("stores a post from the plugin's inbox verbatim and runs none of its text", async () => {
    // A prepared statement: the test's own write must not depend on the mode either.
    await root.execute(
      `INSERT INTO ${dbName}.wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES (?, ?, 0, ?, UTC_TIMESTAMP(6))`,
      ['fluent_community/feed/created', JSON.stringify(feedCreated(`${payload} inbox`)), 'nbe-inbox'],
    );
    runtime.deps.wake();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await storedMessages()).length < 2)
      await new Promise((r) => setTimeout(r, 100));
    expect(await tagline()).toBe('Just another site');
    expect(await storedMessages()).toContain(`${payload} inbox`);
  });

  it('sets each session of the sidecar to its own sql_mode, without NO_BACKSLASH_ESCAPES', async () => {
    for (const pool of [runtime.deps.db, runtime.deps.scriptDb]) {
      const [rows] = (await pool.query('SELECT @@SESSION.sql_mode AS mode')) as never as [{ mode: string }[]];
      expect(rows[0]!.mode).not.toContain('NO_BACKSLASH_ESCAPES');
    }
  });

  it("carries a member's text as data even on a session switched to NO_BACKSLASH_ESCAPES", async () => {
    const conn = await runtime.deps.scriptDb.getConnection();
    try {
      await conn.query(`SET SESSION sql_mode = '${serverMode}'`);
      const uid = `nbe-script-${randomBytes(4).toString('hex')}`;
      await runScript(conn, [
        eventsInsert(runtime.deps.tables, [
          {
            uid,
            event: 'feed.created',
            payload: JSON.stringify({ data: { message: payload } }),
            createdAt: '2026-12-01 10:00:00',
            // An event in no space, by no actor with roles (the filter columns of migration 007).
            facts: [null, null, null, null],
          },
        ]),
        { sql: 'SELECT 1' },
      ]);
      expect(await tagline()).toBe('Just another site');
      const [rows] = (await root.query(`SELECT payload FROM ${dbName}.wp_fcwh_events WHERE uid = ?`, [
        uid,
      ])) as never as [{ payload: string }[]];
      expect(rows.map((r) => JSON.parse(r.payload).data.message)).toEqual([payload]);
    } finally {
      conn.destroy(); // its session mode is not the sidecar's any more
    }
  });

  it("refuses to start on sessions that keep the server's NO_BACKSLASH_ESCAPES", async () => {
    const plain = mysql.createPool({
      host: '127.0.0.1',
      port: server.port,
      user: 'fcwh',
      password,
      database: dbName,
      connectionLimit: 1,
    });
    try {
      const error = await checkServer(plain).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsuitableServerError);
      expect((error as Error).message).toContain('NO_BACKSLASH_ESCAPES');
    } finally {
      await plain.end();
    }
  });
});
