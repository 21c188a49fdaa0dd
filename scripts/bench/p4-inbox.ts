/**
 * P4, the plugin's own path: rows written to the inbox as PHP writes them (one autocommit INSERT and one wake-up
 * per request, from inbox-child.ts), drained by the sidecar into events. Throughput = events stored per second;
 * lag = age of the oldest row still in the inbox, sampled every 5 ms (an upper bound on insert → event stored).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DbCredentials } from '../stack/mariadb.ts';
import type { Sidecar } from '../stack/sidecar.ts';
import { fmt, type BenchContext } from './context.ts';
import { perUnit, readCounters, type DbCounters } from './db-status.ts';
import { sampleUsage, type Usage } from './proc.ts';
import { createWpUserTables, feedCreatedCall } from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';
import { median, percentile } from './stats.ts';

const run = promisify(execFile);

interface InboxLoad {
  rows: number;
  errors: number;
  seconds: number;
}

function inboxLoad(sidecar: Sidecar, db: DbCredentials, seconds: number, rate = 0): Promise<InboxLoad> {
  return run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'inbox-child.ts')], {
    env: {
      ...process.env,
      INBOX_SECONDS: String(seconds),
      INBOX_RATE: String(rate),
      INBOX_CONCURRENCY: '16',
      INBOX_DB_HOST: db.host,
      INBOX_DB_PORT: String(db.port),
      INBOX_DB_USER: db.user,
      INBOX_DB_PASSWORD: db.password,
      INBOX_DB_NAME: db.name,
      INBOX_SIDECAR_URL: sidecar.url,
      INBOX_AUTH: sidecar.authorization,
    },
    timeout: (seconds + 60) * 1000,
  }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as InboxLoad);
}

export interface InboxRun {
  /** Events stored per second while the producer ran flat out (drained by the end of the window + 1 s). */
  rate: number;
  /** Events stored per second from rows already waiting (the drain alone, no wake-up storm). */
  drainRate: number;
  load: InboxLoad;
  /** Oldest waiting row's age at 1,000 rows/s, ms. */
  lagP99: number;
  lagMax: number;
  at1000: InboxLoad;
  sidecar: Usage;
  /** Sidecar CPU per written row (its wake-up, its share of a drain), ms: flat out and at 1,000 rows/s. */
  cpuMsPerRow: number;
  cpuMsPerRowAt1000: number;
  /** MariaDB counters per row at 1,000 rows/s (the producer's INSERT and commit included). */
  dbAt1000: DbCounters;
}

export interface InboxResult {
  runs: InboxRun[];
  rate: number;
  drainRate: number;
  lagP99: number;
  errors: number;
  stored: number;
  inserted: number;
}

/**
 * The drain alone: `count` rows land in the inbox in one transaction (as if thousands of requests had written
 * while the sidecar was busy), then one wake-up; events stored per second until the inbox is empty.
 */
async function drainCapacity(
  pool: ReturnType<typeof benchPool>,
  sidecar: Sidecar,
  count: number,
): Promise<number> {
  const call = feedCreatedCall();
  await pool.query(
    `INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at)
     SELECT ?, ?, ?, CONCAT('bulk-', seq), UTC_TIMESTAMP(6) FROM seq_1_to_${count}`,
    [call.hook, JSON.stringify(call.args), call.actor_id],
  );
  const started = performance.now();
  await fetch(`${sidecar.url}/events/wake`, {
    method: 'POST',
    headers: { authorization: sidecar.authorization },
  });
  await waitEmpty(pool);
  return count / ((performance.now() - started) / 1000);
}

/** A process's CPU milliseconds per request over a window (`usage.cores` × its seconds ÷ requests). */
export const cpuMsPer = (usage: Usage, requests: number, seconds: number) =>
  requests > 0 ? (usage.cores * seconds * 1000) / requests : NaN;

/** Rows put in the inbox at once for the drain-alone measurement. */
const drainRows = (ctx: BenchContext) => (ctx.quick ? 10_000 : 30_000);

export async function measureInboxPath(ctx: BenchContext): Promise<InboxResult> {
  const db = await newDatabase(ctx.stack, 'p4_inbox');
  const pool = benchPool(db, 2);
  await createWpUserTables(pool);
  const sidecar = await startBenchSidecar(ctx.stack, db, { label: 'p4-inbox', allowTargets: [] });
  const count = async (table: string) =>
    Number(((await pool.query(`SELECT COUNT(*) AS n FROM ${table}`)) as never as [[{ n: number }]])[0][0].n);
  const seconds = ctx.quick ? 4 : 6;
  const runs: InboxRun[] = [];
  let inserted = 0;
  try {
    inserted += (await inboxLoad(sidecar, db, 2)).rows; // warm-up
    for (let i = 0; i < ctx.runs; i++) {
      const before = await count('wp_fcwh_events');
      const usage = sampleUsage({ sidecar: sidecar.process.pid });
      const started = performance.now();
      const load = await inboxLoad(sidecar, db, seconds);
      await waitEmpty(pool);
      const rate = ((await count('wp_fcwh_events')) - before) / ((performance.now() - started) / 1000);
      const used = usage.stop();
      const windowSeconds = (performance.now() - started) / 1000;
      const drainRate = await drainCapacity(pool, sidecar, drainRows(ctx));
      const lag: number[] = [];
      const sampling = sampleLag(pool, lag);
      const counters = await readCounters(ctx.stack.mariadb);
      const usage1000 = sampleUsage({ sidecar: sidecar.process.pid });
      const at1000 = await inboxLoad(sidecar, db, seconds, 1000);
      const used1000 = usage1000.stop();
      await sampling.stop();
      await waitEmpty(pool);
      const dbAt1000 = perUnit(counters, await readCounters(ctx.stack.mariadb), at1000.rows);
      inserted += load.rows + at1000.rows + drainRows(ctx);
      const run: InboxRun = {
        rate,
        drainRate,
        load,
        lagP99: percentile(lag, 99),
        lagMax: percentile(lag, 100),
        at1000,
        sidecar: used.sidecar!,
        cpuMsPerRow: cpuMsPer(used.sidecar!, load.rows, windowSeconds),
        cpuMsPerRowAt1000: cpuMsPer(used1000.sidecar!, at1000.rows, at1000.seconds),
        dbAt1000,
      };
      runs.push(run);
      ctx.log(
        `P4 inbox run ${i + 1}: drain alone ${fmt(drainRate)} events/s; ${fmt(rate)} events/s stored (${fmt(load.rows / load.seconds)} rows/s written, sidecar ${fmt(used.sidecar!.cores, 2)} cores, ${fmt(run.cpuMsPerRow, 3)} ms CPU per row); at 1,000 rows/s oldest waiting row p99 ${fmt(run.lagP99, 1)} ms, max ${fmt(run.lagMax, 1)} ms (${fmt(run.cpuMsPerRowAt1000, 3)} ms CPU per row)`,
      );
      ctx.log(`P4 inbox MariaDB per row at 1,000/s: ${JSON.stringify(dbAt1000)}`);
    }
    return {
      runs,
      rate: median(runs.map((r) => r.rate)),
      drainRate: median(runs.map((r) => r.drainRate)),
      lagP99: median(runs.map((r) => r.lagP99)),
      errors: runs.reduce((n, r) => n + r.load.errors + r.at1000.errors, 0),
      stored: await count('wp_fcwh_events'),
      inserted,
    };
  } finally {
    await sidecar.stop();
    await pool.end();
  }
}

async function waitEmpty(pool: ReturnType<typeof benchPool>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [[row]] = (await pool.query('SELECT COUNT(*) AS n FROM wp_fcwh_inbox')) as never as [
      [{ n: number }],
    ];
    if (Number(row.n) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('P4: the inbox did not drain within 30 s');
}

/** Samples the oldest inbox row's age every 5 ms until stopped. */
function sampleLag(pool: ReturnType<typeof benchPool>, into: number[]) {
  let active = true;
  const done = (async () => {
    while (active) {
      const [rows] = (await pool.query(
        'SELECT TIMESTAMPDIFF(MICROSECOND, occurred_at, UTC_TIMESTAMP(6)) AS us FROM wp_fcwh_inbox ORDER BY id LIMIT 1',
      )) as never as [{ us: number }[]];
      into.push(rows[0] ? Number(rows[0].us) / 1000 : 0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      active = false;
      await done;
    },
  };
}
