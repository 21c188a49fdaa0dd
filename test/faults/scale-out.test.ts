/**
 * Several sidecar processes on one database (scaling out: more sidecars, on more hosts, against the same MySQL):
 * in a clean run no delivery is sent twice, and the work is spread across them.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { countArrivals, printCounts } from './report.ts';
import { startTally, type Tally } from './tally.ts';

const processes = 3;
let database: TestDatabase;
let tally: Tally;
let fleet: Fleet;

beforeAll(async () => {
  database = await createTestDatabase('faults_scale');
  tally = await startTally({ delayMs: () => 5 + Math.floor(Math.random() * 20) });
  // Small per-process limits, so that one process cannot take the whole stream by itself.
  fleet = await startFleet({
    label: 'scale-out',
    creds: database.creds,
    allowPorts: [tally.port],
    env: { FCWH_CONCURRENCY: '8', FCWH_PER_WEBHOOK_CONCURRENCY: '8' },
  });
  // Started together, as a service manager would: migrations serialise themselves under a named lock.
  await Promise.all(Array.from({ length: processes }, () => fleet.add()));
});

afterAll(async () => {
  await fleet?.stop();
  await tally?.close();
  await database?.close();
});

describe('several sidecars on one database', () => {
  it('sends each delivery once and spreads the work over every process', async () => {
    const webhook = String(await fleet.createWebhook(tally.url('/scale')));
    const produced = 600;
    await fleet.produce(produced, { perSecond: 300 }).done;
    const statuses = await fleet.settled(60_000);
    const { delivered, missing, duplicates } = countArrivals(tally, produced, { webhook });
    const byProcess = await fleet.claimsByProcess();
    const shares = fleet.sidecars.map((s) => byProcess.get(s.process.pid) ?? 0);
    const logs = fleet.sidecars.map((s) => fs.readFileSync(s.logFile, 'utf8')).join('');
    const loopErrors = (logs.match(/worker loop error/g) ?? []).length;
    printCounts({
      scenario: `${processes} sidecar processes sharing one database`,
      produced,
      delivered,
      lost: missing.length,
      duplicated: duplicates.length,
      why: 'none expected: SKIP LOCKED claims never hand one row to two workers',
      extra: {
        'delivered per process': shares.join(' / '),
        'worker loop errors': loopErrors,
        'final statuses': JSON.stringify(statuses),
      },
    });
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(statuses).toEqual({ delivered: produced });
    expect(shares.reduce((a, b) => a + b, 0)).toBe(produced);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(produced * 0.1);
  });
});
