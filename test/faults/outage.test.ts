/**
 * Receivers that go away: one down for the whole (shortened) retry schedule ends failed with its last error and
 * can be replayed; one that comes back mid-schedule receives everything; a black-holed one beside a healthy one
 * takes at most its per-webhook share of the attempts, and the healthy one is not held up.
 */
import net from 'node:net';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/stack/wait.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { countArrivals, printCounts } from './report.ts';
import { startTally, type Tally } from './tally.ts';

const perWebhook = 4;
let database: TestDatabase;
let tally: Tally;
let blackHole: net.Server;
let blackHolePort: number;
let fleet: Fleet;

beforeAll(async () => {
  database = await createTestDatabase('faults_outage');
  tally = await startTally();
  // Accepts TCP connections and never says a word: the TLS handshake hangs until the sender's deadline.
  blackHole = net.createServer(() => undefined);
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHolePort = (blackHole.address() as net.AddressInfo).port;
  fleet = await startFleet({
    label: 'outage',
    creds: database.creds,
    allowPorts: [tally.port, blackHolePort],
    env: {
      FCWH_RETRY_SCHEDULE: '0.3,0.6,1,2,4',
      FCWH_REQUEST_TIMEOUT_MS: '3000',
      FCWH_CONCURRENCY: '16',
      FCWH_PER_WEBHOOK_CONCURRENCY: String(perWebhook),
    },
  });
  await fleet.add();
});

afterAll(async () => {
  await fleet?.stop();
  await tally?.close();
  blackHole?.close();
  await database?.close();
});

/** Delivery rows of one webhook: status → count, and the attempts and last errors seen. */
async function rowsOf(webhookId: number) {
  const [rows] = await fleet.db.query<RowDataPacket[]>(
    'SELECT status, attempts, last_error FROM wp_fcwh_deliveries WHERE webhook_id = ?',
    [webhookId],
  );
  const statuses: Record<string, number> = {};
  for (const r of rows) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  return { rows, statuses };
}

const deactivate = (id: number) => fleet.api('PUT', `/admin/webhooks/${id}`, { status: 'inactive' });

describe('receiver outages', () => {
  it('ends a delivery failed, with its last error, when the receiver is down for the whole schedule', async () => {
    const id = await fleet.createWebhook(tally.url('/down'), { retry_count: 3 });
    await tally.down();
    const produced = 20;
    await fleet.produce(produced, { from: 1 }).done;
    await fleet.settled(30_000);
    const failed = await rowsOf(id);
    const webhook = (await fleet.api('GET', `/admin/webhooks/${id}`)).body;

    await tally.up();
    const replay = await fleet.api('POST', `/admin/webhooks/${id}/replay`, { since: '2000-01-01' });
    await fleet.settled(30_000);
    const after = await rowsOf(id);
    const { delivered, missing, duplicates } = countArrivals(tally, produced, { webhook: String(id) });
    printCounts({
      scenario: 'receiver down for the whole schedule (4 attempts over ~2 s)',
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none: nothing reached the receiver until the replay',
      extra: {
        'after the schedule': JSON.stringify(failed.statuses),
        'last error': String(failed.rows[0]?.last_error),
        'replayed, then': `${replay.body.requeued} requeued → ${JSON.stringify(after.statuses)}`,
      },
    });
    expect(failed.statuses).toEqual({ failed: produced });
    for (const r of failed.rows) {
      expect(Number(r.attempts)).toBe(4);
      expect(r.last_error).toBe('Connection refused.');
    }
    expect(webhook).toMatchObject({ status: 'active', last_error: 'Connection refused.' });
    expect(replay.body.requeued).toBe(produced);
    expect(after.statuses).toEqual({ delivered: produced });
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    await deactivate(id);
  });

  it('delivers everything when the receiver comes back in the middle of the schedule', async () => {
    const id = await fleet.createWebhook(tally.url('/back'), { retry_count: 5 });
    await tally.down();
    const produced = 50;
    await fleet.produce(produced, { from: 101, perSecond: 200 }).done;
    await new Promise((r) => setTimeout(r, 2500)); // past the first three retries
    const during = await rowsOf(id);
    await tally.up();
    await fleet.settled(30_000);
    const after = await rowsOf(id);
    const { delivered, missing, duplicates } = countArrivals(tally, produced, {
      from: 101,
      webhook: String(id),
    });
    const attempts = after.rows.map((r) => Number(r.attempts));
    printCounts({
      scenario: 'receiver down 2.5 s, back mid-schedule',
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none: refused connections never reach the receiver',
      extra: {
        'while down': JSON.stringify(during.statuses),
        'attempts per delivery': `${Math.min(...attempts)}–${Math.max(...attempts)}`,
        'after it came back': JSON.stringify(after.statuses),
      },
    });
    expect(during.statuses.delivered ?? 0).toBe(0);
    expect(during.statuses.failed ?? 0).toBe(0);
    expect(after.statuses).toEqual({ delivered: produced });
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    await deactivate(id);
  });
});

describe('isolation', () => {
  it('keeps a black-holed endpoint to its per-webhook share while a healthy one gets everything at once', async () => {
    const dead = await fleet.createWebhook(`https://127.0.0.1:${blackHolePort}/never`, { retry_count: 0 });
    const healthy = await fleet.createWebhook(tally.url('/healthy'), { retry_count: 0 });
    const produced = 100;
    let maxDeadInFlight = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [rows] = await fleet.db.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE webhook_id = ? AND status = 'in_flight'",
          [dead],
        );
        maxDeadInFlight = Math.max(maxDeadInFlight, Number(rows[0]?.n));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = Date.now();
    await fleet.produce(produced, { from: 1001, perSecond: 200 }).done;
    await waitFor(
      'every healthy delivery',
      () => countArrivals(tally, produced, { from: 1001, webhook: String(healthy) }).missing.length === 0,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const healthyMs = Date.now() - started;
    const deadRows = await rowsOf(dead);
    sampling = false;
    await sampler;
    const { delivered, missing, duplicates } = countArrivals(tally, produced, {
      from: 1001,
      webhook: String(healthy),
    });
    printCounts({
      scenario: `isolation: a black-holed endpoint beside a healthy one (per-webhook limit ${perWebhook})`,
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none',
      extra: {
        'healthy all received after': `${healthyMs} ms`,
        'black hole in flight, max': maxDeadInFlight,
        'black hole meanwhile': JSON.stringify(deadRows.statuses),
      },
    });
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    // One black-hole attempt takes 3 s (the request timeout); the healthy endpoint did not wait for any of them.
    expect(healthyMs).toBeLessThan(3000);
    expect(maxDeadInFlight).toBeGreaterThan(0);
    expect(maxDeadInFlight).toBeLessThanOrEqual(perWebhook);
    expect(deadRows.statuses.delivered ?? 0).toBe(0);
    await deactivate(dead);
  });
});
