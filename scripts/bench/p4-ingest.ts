/**
 * P4: the sidecar's ingest paths. The plugin's own (inbox rows + wake-up, p4-inbox.ts), and the HTTP API
 * POST /events (bearer auth, validation, payload build, event + fan-out stored durably before the 202), one call per
 * request as one PHP request would send; there the worker is off so that only ingest is measured (its deliveries
 * wait as pending rows). Every accepted event must be in the table afterwards.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Sidecar } from '../stack/sidecar.ts';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { perUnit, readCounters, type DbCounters } from './db-status.ts';
import { cpuMsPer, measureInboxPath } from './p4-inbox.ts';
import { sampleUsage, type Usage } from './proc.ts';
import { createWebhook, createWpUserTables } from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

export interface LoadResult {
  requests: number;
  accepted: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** The load generator's own CPU per request, µs (it shares the cores with the sidecar and MariaDB). */
  cpuUsPerRequest: number;
}

export interface LoadOptions {
  seconds: number;
  /** Requests per second (open loop); omitted = closed loop. */
  rate?: number;
  concurrency?: number;
  eventsPerRequest?: number;
}

/** Runs load-child.ts against the sidecar's /events. */
export async function ingestLoad(sidecar: Sidecar, options: LoadOptions): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'load-child.ts')],
    {
      env: {
        ...process.env,
        LOAD_URL: sidecar.url,
        LOAD_AUTH: sidecar.authorization,
        LOAD_SECONDS: String(options.seconds),
        LOAD_RATE: String(options.rate ?? 0),
        LOAD_CONCURRENCY: String(options.concurrency ?? 32),
        LOAD_EVENTS_PER_REQUEST: String(options.eventsPerRequest ?? 1),
      },
      timeout: (options.seconds + 60) * 1000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

interface IngestRun {
  maxRate: number;
  max: LoadResult;
  at1000: LoadResult;
  sidecar: Usage;
  mariadb: Usage;
  /** Sidecar CPU per request, ms: flat out, and at 1,000 requests/s (comparable across machine loads). */
  cpuMsPerRequest: number;
  cpuMsPerRequestAt1000: number;
  /** MariaDB counters per accepted event, flat out (statements, commits, fsyncs). */
  db: DbCounters;
}

export const p4Concurrency = 32;

export async function runP4(ctx: BenchContext): Promise<FigureResult> {
  const inbox = await measureInboxPath(ctx);
  const http = await runHttpPath(ctx);
  return {
    ...http,
    rows: [
      {
        what: "plugin's path: inbox drained into events, events/s",
        value: fmt(inbox.drainRate),
        target: '≥ 5,000/s',
        met: inbox.drainRate >= 5000,
      },
      {
        what: '  with a wake-up request per written row (PHP-like, 16 lanes)',
        value: `${fmt(inbox.rate)}/s`,
        target: '—',
        met: null,
      },
      {
        what: '  oldest waiting row p99 at 1,000 rows (and wake-ups)/s',
        value: `${fmt(inbox.lagP99, 1)} ms`,
        target: '≤ 10 ms',
        met: inbox.lagP99 <= 10,
      },
      {
        what: '  errors; rows stored as events',
        value: `${fmt(inbox.errors)}; ${fmt(inbox.stored)} of ${fmt(inbox.inserted)}`,
        target: '0; all',
        met: inbox.errors === 0 && inbox.stored === inbox.inserted,
      },
      ...http.rows,
    ],
    details: { inbox, http: http.details },
  };
}

async function runHttpPath(ctx: BenchContext): Promise<FigureResult> {
  const db = await newDatabase(ctx.stack, 'p4');
  const pool = benchPool(db);
  await createWpUserTables(pool);
  const sidecar = await startBenchSidecar(ctx.stack, db, {
    label: 'p4',
    allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
    env: { FCWH_WORKER: 'off' },
  });
  const seconds = ctx.quick ? 4 : 6;
  const runs: IngestRun[] = [];
  let accepted = 0;
  try {
    await createWebhook(sidecar, `${ctx.receiver.url}/ok`);
    accepted += (await ingestLoad(sidecar, { seconds: 2, concurrency: p4Concurrency })).accepted; // warm-up
    for (let i = 0; i < ctx.runs; i++) {
      const before = await readCounters(ctx.stack.mariadb);
      const usage = sampleUsage({ sidecar: sidecar.process.pid, mariadb: ctx.stack.mariadb.process.pid });
      const max = await ingestLoad(sidecar, { seconds, concurrency: p4Concurrency });
      const used = usage.stop();
      const after = await readCounters(ctx.stack.mariadb);
      const db = perUnit(before, after, max.accepted);
      ctx.log(`P4 MariaDB per event: ${JSON.stringify(db)}`);
      const usage1000 = sampleUsage({ sidecar: sidecar.process.pid });
      const at1000 = await ingestLoad(sidecar, { seconds, rate: 1000 });
      const used1000 = usage1000.stop();
      accepted += max.accepted + at1000.accepted;
      const run: IngestRun = {
        maxRate: max.accepted / max.seconds,
        max,
        at1000,
        sidecar: used.sidecar!,
        mariadb: used.mariadb!,
        cpuMsPerRequest: cpuMsPer(used.sidecar!, max.requests, max.seconds),
        cpuMsPerRequestAt1000: cpuMsPer(used1000.sidecar!, at1000.requests, at1000.seconds),
        db,
      };
      runs.push(run);
      ctx.log(
        `P4 run ${i + 1}: ${fmt(run.maxRate)} events/s at ${p4Concurrency} in flight (${max.errors} errors, sidecar ${fmt(run.cpuMsPerRequest, 3)} ms CPU per request, load generator ${fmt(max.cpuUsPerRequest)} µs); at 1,000/s p50 ${fmt(at1000.p50, 1)} ms p99 ${fmt(at1000.p99, 1)} ms (${at1000.errors} errors, ${fmt(run.cpuMsPerRequestAt1000, 3)} ms CPU per request)`,
      );
    }
    const [[{ stored }]] = (await pool.query('SELECT COUNT(*) AS stored FROM wp_fcwh_events')) as never as [
      [{ stored: number }],
    ];
    const errors = runs.reduce((n, r) => n + r.max.errors + r.at1000.errors, 0);
    const rate = median(runs.map((r) => r.maxRate));
    const p99 = median(runs.map((r) => r.at1000.p99));
    const achieved = median(runs.map((r) => r.at1000.requests / r.at1000.seconds));
    return {
      id: 'P4',
      title: 'Ingest path POST /events (durable before 202)',
      rows: [
        {
          what: `POST /events: events/s, 1 per request, ${p4Concurrency} in flight`,
          value: fmt(rate),
          target: '≥ 5,000/s',
          met: rate >= 5000,
        },
        {
          what: `  p99 at 1,000 requests/s (achieved ${fmt(achieved)}/s)`,
          value: `${fmt(p99, 1)} ms`,
          target: '≤ 10 ms',
          met: p99 <= 10 && achieved >= 950,
        },
        {
          what: '  errors; accepted events stored',
          value: `${fmt(errors)}; ${fmt(Number(stored))} of ${fmt(accepted)}`,
          target: '0; all',
          met: errors === 0 && Number(stored) === accepted,
        },
      ],
      details: { seconds, concurrency: p4Concurrency, runs, stored: Number(stored), accepted },
    };
  } finally {
    await sidecar.stop();
    await pool.end();
  }
}
