/**
 * SIGTERM stops claiming, lets attempts under way finish (or gives them back uncounted once the grace period is
 * over) and exits in bounded time; nothing is lost, and only an attempt given back can arrive twice.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/stack/wait.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { countArrivals, printCounts } from './report.ts';
import { startTally, type Tally } from './tally.ts';

let database: TestDatabase;
let tally: Tally;
let fleet: Fleet;

beforeAll(async () => {
  database = await createTestDatabase('faults_shutdown');
  tally = await startTally({ delayMs: () => 300 });
  fleet = await startFleet({ label: 'shutdown', creds: database.creds, allowPorts: [tally.port] });
});

afterAll(async () => {
  await fleet?.stop();
  await tally?.close();
  await database?.close();
});

const dbMs = (value: unknown) => Date.parse(`${String(value).replace(' ', 'T')}Z`);

describe('graceful shutdown', () => {
  it('stops claiming on SIGTERM, finishes the attempts under way and exits 0; the rest is sent after a restart', async () => {
    const sidecar = await fleet.add();
    const webhook = String(await fleet.createWebhook(tally.url('/graceful')));
    const produced = 200;
    await fleet.produce(produced, { perSecond: 2000 }).done;
    await waitFor('first deliveries', () => tally.accepted.length >= 10, { timeoutMs: 20_000 });

    const termAt = Date.now();
    const exit = await sidecar.stop('SIGTERM', 30_000);
    const exitMs = Date.now() - termAt;
    const [open] = await fleet.db.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'in_flight'`,
    );
    const [last] = await fleet.db.query<RowDataPacket[]>('SELECT MAX(started_at) AS t FROM wp_fcwh_attempts');
    const deliveredAtStop = (await fleet.statuses()).delivered ?? 0;
    const acceptedAtStop = tally.counts(webhook).size;

    await sidecar.restart();
    const statuses = await fleet.settled(60_000);
    const { delivered, missing, duplicates } = countArrivals(tally, produced, { webhook });
    printCounts({
      scenario: 'SIGTERM during delivery (receiver answers in 300 ms)',
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none expected: every attempt under way finished and was recorded before exit',
      extra: {
        'exit after SIGTERM': `${exitMs} ms, code ${exit.code}`,
        'delivered before stop': `${deliveredAtStop} recorded, ${acceptedAtStop} received`,
        'left in flight': Number(open[0]?.n),
      },
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(5000);
    expect(Number(open[0]?.n)).toBe(0);
    // Everything the receiver took before the stop was recorded as delivered: finished, not abandoned.
    expect(deliveredAtStop).toBe(acceptedAtStop);
    // No attempt began after SIGTERM (a little slack: the signal is delivered while a claim may be committing).
    expect(dbMs(last[0]?.t)).toBeLessThan(termAt + 250);
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(statuses).toEqual({ delivered: produced });
    await fleet.api('PUT', `/admin/webhooks/${webhook}`, { status: 'inactive' });
    await sidecar.stop();
  });

  it('gives back an attempt whose receiver hangs past the grace period: not lost, not double-counted', async () => {
    const graceMs = 1000;
    const sidecar = await fleet.add({ FCWH_SHUTDOWN_GRACE_MS: String(graceMs) });
    const webhook = String(await fleet.createWebhook(tally.url('/hanging')));
    const [{ n: before }] = (
      await fleet.db.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS n FROM wp_fcwh_deliveries')
    )[0] as [{ n: number }];
    tally.hang(20_000);
    const produced = 5;
    await fleet.produce(produced, { from: 1001 }).done;
    await waitFor(
      'hung requests',
      () => tally.refused.filter((a) => a.webhook === webhook).length >= produced,
      {
        timeoutMs: 20_000,
      },
    );

    const termAt = Date.now();
    const exit = await sidecar.stop('SIGTERM', 30_000);
    const exitMs = Date.now() - termAt;
    const [rows] = await fleet.db.query<RowDataPacket[]>(
      `SELECT d.status, d.attempts, (SELECT COUNT(*) FROM wp_fcwh_attempts a WHERE a.delivery_id = d.id) AS logged
       FROM wp_fcwh_deliveries d WHERE d.id > ?`,
      [before],
    );

    tally.hang(undefined);
    await sidecar.restart();
    await fleet.settled(30_000);
    const [after] = await fleet.db.query<RowDataPacket[]>(
      `SELECT d.status, d.attempts, (SELECT COUNT(*) FROM wp_fcwh_attempts a WHERE a.delivery_id = d.id) AS logged
       FROM wp_fcwh_deliveries d WHERE d.id > ?`,
      [before],
    );
    const { delivered, missing } = countArrivals(tally, produced, { from: 1001, webhook });
    const hungIds = new Set(tally.refused.filter((a) => a.webhook === webhook).map((a) => a.id));
    const twice = [...tally.counts(webhook).keys()].filter((id) => hungIds.has(id));
    printCounts({
      scenario: `SIGTERM with a receiver hanging 20 s (grace ${graceMs} ms)`,
      produced,
      delivered,
      lost: missing.length,
      duplicated: twice.length,
      why: 'each was open at the receiver when the grace ran out, given back uncounted and sent again, same webhook-id',
      extra: {
        'exit after SIGTERM': `${exitMs} ms, code ${exit.code}`,
        'right after exit': rows
          .map((r) => `${r.status}/${r.attempts} attempts/${r.logged} logged`)
          .join(', '),
        'after restart': after.map((r) => `${r.status}/${r.attempts}/${r.logged}`).join(', '),
      },
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeGreaterThanOrEqual(graceMs - 50);
    expect(exitMs).toBeLessThan(graceMs + 4000);
    // Given back: pending again, the unfinished attempt not counted and not logged.
    expect(rows.map((r) => [r.status, Number(r.attempts), Number(r.logged)])).toEqual(
      Array(produced).fill(['pending', 0, 0]),
    );
    expect(missing).toEqual([]);
    // After the restart: one attempt each, counted once, logged once; the receiver saw each id twice at most.
    expect(after.map((r) => [r.status, Number(r.attempts), Number(r.logged)])).toEqual(
      Array(produced).fill(['delivered', 1, 1]),
    );
    expect(twice).toHaveLength(produced);
  });
});
