/**
 * The database misbehaving under the sidecar, on a private MariaDB (the run's shared one is never disturbed):
 * lock-wait timeouts (1205) and deadlocks (1213) are retried inside, never surfaced as failed deliveries; a restart
 * and a kill -9 of MariaDB during delivery are ridden out by reconnecting, and lose nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDatabase,
  rootConnection,
  startMariaDb,
  type DbCredentials,
  type MariaDbServer,
} from '../../scripts/stack/mariadb.ts';
import { waitFor } from '../../scripts/stack/wait.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { countArrivals, printCounts } from './report.ts';
import { startTally, type Tally } from './tally.ts';

const dir = path.join(inject('stack').runDir, 'faults', `mariadb-${randomBytes(3).toString('hex')}`);
let server: MariaDbServer;
let creds: DbCredentials;
let tally: Tally;
let fleet: Fleet;
let delayMs = 0;

/** A global status counter of the private server. */
async function status(name: string): Promise<number> {
  const root = await rootConnection(server);
  try {
    const [rows] = await root.query<RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
    return Number(rows[0]?.Value ?? 0);
  } finally {
    await root.end();
  }
}

/** The test's own client, as a second application holding locks. */
const client = (): Promise<Connection> =>
  mysql.createConnection({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    database: creds.name,
  });

/** Resolves once some transaction waits for a row lock (the sidecar's, as the test holds the lock). */
async function someoneWaits(): Promise<void> {
  const root = await rootConnection(server);
  try {
    await waitFor(
      'a transaction waiting for a lock',
      async () => {
        const [rows] = await root.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'",
        );
        return Number(rows[0]?.n) > 0;
      },
      // InnoDB refreshes this table only when it was not read for 100 ms: poll slower than that.
      { timeoutMs: 10_000, intervalMs: 150 },
    );
  } finally {
    await root.end();
  }
}

/** Delivery rows of one webhook by status. */
async function statusesOf(webhookId: number | string): Promise<Record<string, number>> {
  const [rows] = await fleet.db.query<RowDataPacket[]>(
    'SELECT status, COUNT(*) AS n FROM wp_fcwh_deliveries WHERE webhook_id = ? GROUP BY status',
    [webhookId],
  );
  return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
}

beforeAll(async () => {
  server = await startMariaDb({ dir });
  // Short lock waits, so that a contended lock turns into 1205 within the test (new sessions take it).
  const root = await rootConnection(server);
  await root.query('SET GLOBAL innodb_lock_wait_timeout = 1');
  await root.end();
  creds = await createDatabase(server, 'faults_db');
  tally = await startTally({ delayMs: () => delayMs });
  fleet = await startFleet({
    label: 'database',
    creds,
    allowPorts: [tally.port],
    env: { FCWH_LEASE_SECONDS: '5', FCWH_RETRY_SCHEDULE: '0.2,0.5,1' },
  });
  await fleet.add();
});

afterAll(async () => {
  await fleet?.stop();
  await tally?.close();
  await server?.stop();
});

describe('locks', () => {
  it('retries a lock-wait timeout (1205) while another client holds the webhook row, and delivers once', async () => {
    const webhookId = await fleet.createWebhook(tally.url('/lock-wait'));
    const waitsBefore = await status('Innodb_row_lock_waits');
    delayMs = 1500;
    await fleet.produce(1, { from: 1 }).done;
    await waitFor('the request', () => tally.accepted.some((a) => a.seq === 1), { timeoutMs: 10_000 });
    delayMs = 0;

    const c = await client();
    await c.beginTransaction();
    await c.query('SELECT id FROM wp_fcwh_webhooks WHERE id = ? FOR UPDATE', [webhookId]);
    await someoneWaits();
    await new Promise((r) => setTimeout(r, 2500)); // two or three 1 s timeouts for the sidecar's recording
    const [during] = await c.query<RowDataPacket[]>('SELECT status FROM wp_fcwh_deliveries');
    await c.commit();
    await c.end();

    await fleet.settled(20_000);
    const statuses = await statusesOf(webhookId);
    const waits = (await status('Innodb_row_lock_waits')) - waitsBefore;
    const { delivered, missing, duplicates } = countArrivals(tally, 1, { webhook: String(webhookId) });
    printCounts({
      scenario: 'lock-wait timeouts (1205) while recording',
      produced: 1,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none: the recording transaction was retried until the lock was free',
      extra: { 'row lock waits': waits, 'status while locked': String(during[0]?.status) },
    });
    expect(String(during[0]?.status)).toBe('in_flight');
    expect(waits).toBeGreaterThanOrEqual(2);
    expect(statuses).toEqual({ delivered: 1 });
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    await fleet.api('PUT', `/admin/webhooks/${webhookId}`, { status: 'inactive' });
  });

  it('retries a deadlock (1213) in which InnoDB chose the sidecar as victim, and delivers once', async () => {
    const webhookId = await fleet.createWebhook(tally.url('/deadlock'));
    const deadlocksBefore = await status('Innodb_deadlocks');
    delayMs = 1500;
    await fleet.produce(1, { from: 2 }).done;
    await waitFor('the request', () => tally.accepted.some((a) => a.seq === 2), { timeoutMs: 10_000 });
    delayMs = 0;
    const [[delivery]] = (await fleet.db.query<RowDataPacket[]>(
      'SELECT id FROM wp_fcwh_deliveries WHERE webhook_id = ?',
      [webhookId],
    )) as unknown as [RowDataPacket[]];

    // The other transaction does more work first, so that InnoDB rolls back the sidecar's, not this one.
    const c = await client();
    await c.query('CREATE TABLE IF NOT EXISTS ballast (id INT AUTO_INCREMENT PRIMARY KEY, v CHAR(100))');
    await c.beginTransaction();
    await c.query(`INSERT INTO ballast (v) VALUES ${Array(500).fill("('x')").join(',')}`);
    await c.query('SELECT id FROM wp_fcwh_webhooks WHERE id = ? FOR UPDATE', [webhookId]);
    // The recorder locks the delivery row, then waits for the webhook row held here...
    await someoneWaits();
    // ...and this takes the delivery row: a cycle, which InnoDB breaks by rolling back the lighter transaction.
    await c.query('UPDATE wp_fcwh_deliveries SET updated_at = updated_at WHERE id = ?', [delivery!.id]);
    await c.commit();
    await c.end();

    await fleet.settled(20_000);
    const statuses = await statusesOf(webhookId);
    const deadlocks = (await status('Innodb_deadlocks')) - deadlocksBefore;
    const { delivered, missing, duplicates } = countArrivals(tally, 1, {
      from: 2,
      webhook: String(webhookId),
    });
    const [attempts] = await fleet.db.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM wp_fcwh_attempts WHERE delivery_id = ?',
      [delivery!.id],
    );
    printCounts({
      scenario: 'deadlock (1213) while recording',
      produced: 1,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: "none: the sidecar's transaction was the victim and was run again",
      extra: { deadlocks, 'attempts logged': Number(attempts[0]?.n) },
    });
    expect(deadlocks).toBe(1);
    expect(statuses).toEqual({ delivered: 1 });
    expect(Number(attempts[0]?.n)).toBe(1);
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    await fleet.api('PUT', `/admin/webhooks/${webhookId}`, { status: 'inactive' });
  });
});

describe('restarts', () => {
  it('rides out a MariaDB restart and a MariaDB kill -9 during delivery, losing nothing', async () => {
    const webhookId = String(await fleet.createWebhook(tally.url('/restarts'), { retry_count: 10 }));
    const from = 100;
    const produced = 300;
    delayMs = 200; // attempts are always under way, so outages catch some between send and record
    const producer = fleet.produce(produced, { perSecond: 40, from });
    const outages: string[] = [];
    for (const how of ['restart', 'kill -9'] as const) {
      await new Promise((r) => setTimeout(r, 2000));
      const down = Date.now();
      if (how === 'restart') await server.stop();
      else await server.process.stop('SIGKILL');
      await new Promise((r) => setTimeout(r, 2000)); // down for a while: every pooled connection is dead
      server = await startMariaDb({ dir, port: server.port });
      outages.push(`${how}: down ${((Date.now() - down) / 1000).toFixed(1)} s`);
    }
    await producer.done;
    await fleet.settled(60_000);
    const statuses = await statusesOf(webhookId);
    const { delivered, missing, duplicates } = countArrivals(tally, produced, { from, webhook: webhookId });
    const log = fs.readFileSync(fleet.sidecars[0]!.logFile, 'utf8');
    const [attempts] = await fleet.db.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT delivery_id) AS deliveries,
         GROUP_CONCAT(DISTINCT COALESCE(error, 'ok')) AS outcomes FROM wp_fcwh_attempts WHERE webhook_id = ?`,
      [webhookId],
    );
    printCounts({
      scenario: `MariaDB restart and kill -9 during ${produced} events`,
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: duplicates.length
        ? 'a recording committed by the server whose answer was lost with the connection'
        : 'none: unrecorded attempts were kept and recorded once the database was back',
      extra: {
        outages: outages.join(', '),
        'attempts logged': `${attempts[0]?.n} for ${attempts[0]?.deliveries} deliveries (${attempts[0]?.outcomes})`,
        'recording retried': (log.match(/recording attempts failed; trying again/g) ?? []).length,
        sidecar: 'the same process throughout',
        'final statuses': JSON.stringify(statuses),
      },
    });
    expect(missing).toEqual([]);
    expect(statuses).toEqual({ delivered: produced });
    expect(duplicates).toEqual([]);
    expect(fleet.sidecars[0]!.process.exitInfo()).toBeUndefined();
  });
});
