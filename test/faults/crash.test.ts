/**
 * kill -9 of the sidecar at any moment loses nothing: work a dead worker claimed is claimed again once its lease
 * runs out, and only a delivery that was in flight at a kill can arrive twice, with the same webhook-id.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { messageIds, startFleet, type Fleet } from './fleet.ts';
import { countArrivals, printCounts } from './report.ts';
import { startTally, type Tally } from './tally.ts';

const leaseSeconds = 3;
let database: TestDatabase;
let tally: Tally;
let fleet: Fleet;

beforeAll(async () => {
  database = await createTestDatabase('faults_crash');
  // Up to a tenth of a second per answer, so that kills land while requests are open.
  tally = await startTally({ delayMs: () => 20 + Math.floor(Math.random() * 100) });
  fleet = await startFleet({
    label: 'crash',
    creds: database.creds,
    allowPorts: [tally.port],
    env: {
      FCWH_LEASE_SECONDS: String(leaseSeconds),
      FCWH_RETRY_SCHEDULE: '0.2,0.5,1',
    },
  });
  await fleet.add();
});

afterAll(async () => {
  await fleet?.stop();
  await tally?.close();
  await database?.close();
});

interface Kill {
  at: number;
  /** When the next process was up again. */
  restarted: number;
  /** Deliveries the dead process had claimed (in flight) when it died, with their lease expiry (epoch ms). */
  inFlight: Map<number, number>;
}

/** Resolves once the process `pid` has claimed deliveries that are not recorded yet (polled every 5 ms). */
async function holdsInFlight(pid: number | undefined, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [rows] = await fleet.db.query<RowDataPacket[]>(
      `SELECT 1 FROM wp_fcwh_deliveries WHERE status = 'in_flight' AND claimed_by LIKE ? LIMIT 1`,
      [`${pid}-%`],
    );
    if (rows.length > 0) return;
    await sleep(5);
  }
  throw new Error(`sidecar ${pid} held no delivery in flight for ${timeoutMs} ms`);
}

const epochMs = (dbTime: string) => Date.parse(`${dbTime.replace(' ', 'T')}Z`);

describe('kill -9 during delivery', () => {
  it('loses nothing over repeated kills, and re-sends only what was in flight, after the lease', async () => {
    const produced = 400;
    await fleet.createWebhook(tally.url(), { retry_count: 5 });
    const producer = fleet.produce(produced, { perSecond: 50 });
    const sidecar = fleet.sidecars[0]!;
    const kills: Kill[] = [];
    for (let k = 0; k < 4; k++) {
      // The first kill mid-stream; the others soon after a restart, while it works off the backlog that built up.
      await sleep(k === 0 ? 1500 : 300 + Math.random() * 600);
      const pid = sidecar.process.pid;
      // Each kill lands while the process holds deliveries in flight, so that reclaiming is what is tested.
      await holdsInFlight(pid);
      await sidecar.kill9();
      const at = Date.now();
      // Nothing touches a dead owner's rows until their lease runs out: this is exactly what it held.
      const [rows] = await fleet.db.query<RowDataPacket[]>(
        `SELECT id, lease_until FROM wp_fcwh_deliveries WHERE status = 'in_flight' AND claimed_by LIKE ?`,
        [`${pid}-%`],
      );
      const inFlight = new Map(rows.map((r) => [Number(r.id), epochMs(String(r.lease_until))]));
      await sidecar.restart();
      kills.push({ at, restarted: Date.now(), inFlight });
    }
    await producer.done;
    const statuses = await fleet.settled(60_000);

    const { delivered, missing, duplicates, seqWithSeveralIds } = countArrivals(tally, produced);
    const inFlightIds = [...new Set(kills.flatMap((k) => [...k.inFlight.keys()]))];
    const inFlightMessages = new Set((await messageIds(fleet.db, inFlightIds)).values());
    // The other way to arrive twice: the receiver got it but answered after the attempt's timeout.
    const [timedOut] = await fleet.db.query<RowDataPacket[]>(
      `SELECT DISTINCT e.uid FROM wp_fcwh_attempts a JOIN wp_fcwh_deliveries d ON d.id = a.delivery_id
       JOIN wp_fcwh_events e ON e.id = d.event_id WHERE a.error LIKE '%imed out%'`,
    );
    const timedOutMessages = new Set(timedOut.map((r) => String(r.uid)));
    const atKill = duplicates.filter((id) => inFlightMessages.has(id));
    const afterTimeout = duplicates.filter((id) => !inFlightMessages.has(id) && timedOutMessages.has(id));
    const unexplained = duplicates.filter((id) => !inFlightMessages.has(id) && !timedOutMessages.has(id));

    // Every delivery held by a dead process was attempted again, and not before its lease ran out.
    const [retried] = await fleet.db.query<RowDataPacket[]>(
      `SELECT delivery_id, MIN(started_at) AS first FROM wp_fcwh_attempts WHERE delivery_id IN (?) GROUP BY delivery_id`,
      [inFlightIds.length ? inFlightIds : [0]],
    );
    const killOf = new Map(kills.flatMap((k) => [...k.inFlight].map(([id, lease]) => [id, { ...k, lease }])));
    const reclaims = retried.map((r) => {
      const kill = killOf.get(Number(r.delivery_id))!;
      const first = epochMs(String(r.first));
      return {
        afterLeaseMs: first - kill.lease,
        afterKillMs: first - kill.at,
        // Once a worker runs again, it sweeps expired leases every half lease.
        afterDueMs: first - Math.max(kill.lease, kill.restarted),
      };
    });
    const afterKill = reclaims.map((r) => r.afterKillMs / 1000);

    printCounts({
      scenario: `kill -9 ×${kills.length} during ${produced} events (lease ${leaseSeconds} s)`,
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: duplicates.length
        ? `${atKill.length} in flight at a kill (received, not yet recorded), ${afterTimeout.length} answered ` +
          `after the attempt timed out; ${unexplained.length} otherwise; each with one webhook-id`
        : 'none: no kill caught a request between receipt and record',
      extra: {
        'in flight at kills': kills.map((k) => k.inFlight.size).join(' + '),
        're-claimed after lease': `${retried.length}, ${Math.min(...afterKill).toFixed(1)}–${Math.max(...afterKill).toFixed(1)} s after the kill`,
        'final statuses': JSON.stringify(statuses),
      },
    });

    expect(missing).toEqual([]);
    expect(seqWithSeveralIds).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(statuses).toEqual({ delivered: produced });
    for (const kill of kills) expect(kill.inFlight.size).toBeGreaterThan(0);
    expect(retried).toHaveLength(inFlightIds.length);
    // Claimed again only once the lease expired, and soon after a worker was running again (the sweep runs
    // every half lease; the margin is for a loaded machine).
    for (const r of reclaims) {
      expect(r.afterLeaseMs).toBeGreaterThanOrEqual(0);
      expect(r.afterDueMs).toBeLessThan(leaseSeconds * 500 + 3000);
    }
  });
});
