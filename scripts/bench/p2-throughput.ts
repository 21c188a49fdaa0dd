/**
 * P2: sustained end-to-end deliveries per second (stored event → claimed → signed POST → 2xx recorded, durable),
 * beside a bare undici client posting the same bodies to the same receiver at the same concurrency.
 */
import type mysql from 'mysql2/promise';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { bareUndiciRate } from './blast.ts';
import { attemptMark, watchDrain } from './drain.ts';
import { perUnit, readCounters, type DbCounters } from './db-status.ts';
import { memoryBreakdown } from './memory.ts';
import { sampleUsage, type Usage } from './proc.ts';
import {
  cloneEvents,
  createWebhook,
  createWpUserTables,
  feedCreatedCall,
  ingest,
  updateWebhook,
} from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';
import { median } from './stats.ts';

export interface ThroughputOptions {
  label: string;
  /** Deliveries queued per run. */
  count: number;
  /** FCWH_CONCURRENCY (and per-webhook concurrency: one endpoint). */
  concurrency: number;
  /** Something to load before the runs (P8's old rows). */
  preload?: (pool: mysql.Pool, webhookId: number) => Promise<void>;
  /** Skip the bare-client comparison (P8 compares with P2 instead). */
  bare?: boolean;
  /** More sidecar environment (P6's heap cap). */
  env?: Record<string, string>;
  /** Runs (default: the context's). */
  runs?: number;
  /** Destination settings of the webhook (format, template, rate_limit), set after it is created. */
  webhook?: Record<string, unknown>;
}

export interface ThroughputRun {
  rate: number;
  bareRate: number;
  /** The sidecar's CPU (user + system) per recorded delivery, µs, from its start until the last was recorded. */
  sidecarCpuUsPerDelivery: number;
  /** The bare client's CPU per request, µs (NaN when it did not run). */
  bareCpuUsPerRequest: number;
  sidecar: Usage;
  mariadb: Usage;
  receiver: Usage;
  duplicates: number;
  /** MariaDB work per delivery (statements, commits, fsyncs, rows read). */
  dbPerDelivery: DbCounters;
  /** The sidecar's memory at the end of the run (RSS, V8 heap, external), MB. */
  memory: Record<string, number>;
}

/** Sidecar settings for throughput: one endpoint may use every slot. */
export const throughputEnv = (concurrency: number): Record<string, string> => ({
  FCWH_CONCURRENCY: String(concurrency),
  FCWH_PER_WEBHOOK_CONCURRENCY: String(Math.min(concurrency, 256)),
  FCWH_DB_POOL: '16',
});

/** Creates the webhook and one real event (built by the sidecar from a feed.created call) to copy. */
async function prepare(ctx: BenchContext, options: ThroughputOptions) {
  const db = await newDatabase(ctx.stack, options.label);
  const pool = benchPool(db);
  await createWpUserTables(pool);
  const { receiver } = ctx;
  const sidecar = await startBenchSidecar(ctx.stack, db, {
    label: `${options.label}-setup`,
    allowTargets: [`127.0.0.1:${receiver.port}`],
  });
  try {
    const webhookId = await createWebhook(sidecar, `${receiver.url}/ok`);
    if (options.webhook) await updateWebhook(sidecar, webhookId, options.webhook);
    await ingest(sidecar, [feedCreatedCall()]);
    await new Promise((r) => setTimeout(r, 500));
    return { db, pool, webhookId };
  } finally {
    await sidecar.stop();
  }
}

/** Measures the throughput runs; the receiver, MariaDB and sidecar each run in their own process. */
export async function measureThroughput(
  ctx: BenchContext,
  options: ThroughputOptions,
): Promise<ThroughputRun[]> {
  const { db, pool, webhookId } = await prepare(ctx, options);
  if (options.preload) await options.preload(pool, webhookId);
  const runs: ThroughputRun[] = [];
  try {
    for (let i = 0; i < (options.runs ?? ctx.runs); i++) {
      await cloneEvents(pool, 1, { count: options.count, webhookIds: [webhookId] });
      await ctx.receiver.reset();
      const mark = await attemptMark(pool);
      const before = await readCounters(ctx.stack.mariadb);
      const started = performance.now();
      const sidecar = await startBenchSidecar(ctx.stack, db, {
        label: `${options.label}-${i}`,
        allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
        env: { ...throughputEnv(options.concurrency), ...options.env },
      });
      const usage = sampleUsage({
        sidecar: sidecar.process.pid,
        mariadb: ctx.stack.mariadb.process.pid,
        receiver: ctx.receiver.pid,
      });
      const usageStarted = performance.now();
      let drain, used, usageSeconds, after, memory;
      try {
        drain = await watchDrain(pool, mark, options.count, started, 120_000);
        used = usage.stop();
        usageSeconds = (performance.now() - usageStarted) / 1000;
        after = await readCounters(ctx.stack.mariadb);
        memory = await memoryBreakdown(sidecar);
      } finally {
        await sidecar.stop();
      }
      const stats = await ctx.receiver.stats();
      if (drain.recorded < options.count)
        throw new Error(`${options.label}: only ${drain.recorded} of ${options.count} deliveries recorded`);
      const bareRun = options.bare === false ? null : await bare(ctx, pool, options.concurrency);
      const bareRate = bareRun?.rate ?? NaN;
      const cpuUs = (used.sidecar!.cores * usageSeconds * 1e6) / drain.recorded;
      runs.push({
        rate: drain.steadyRate,
        bareRate,
        sidecarCpuUsPerDelivery: cpuUs,
        bareCpuUsPerRequest: (bareRun?.cpuMsPerRequest ?? NaN) * 1000,
        sidecar: used.sidecar!,
        mariadb: used.mariadb!,
        receiver: used.receiver!,
        duplicates: stats.duplicates,
        dbPerDelivery: perUnit(before, after, drain.recorded),
        memory,
      });
      ctx.log(
        `${options.label} run ${i + 1}: ${fmt(drain.steadyRate)}/s (bare undici ${fmt(bareRate)}/s, ${fmt(bareRun?.cpuMsPerRequest ? bareRun.cpuMsPerRequest * 1000 : NaN)} µs CPU per request), sidecar ${fmt(used.sidecar!.cores, 2)} cores ${fmt(used.sidecar!.peakRssMb)} MB, ${fmt(cpuUs)} µs CPU per delivery`,
      );
    }
  } finally {
    await pool.end();
  }
  return runs;
}

/** The bare client on the same receiver, with a real event's body and a delivery's headers. */
async function bare(ctx: BenchContext, pool: mysql.Pool, concurrency: number) {
  const [rows] = (await pool.query('SELECT uid, payload FROM wp_fcwh_events WHERE id = 1')) as never as [
    [{ uid: string; payload: string }],
  ];
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'FluentCommunityWebhooks/bench',
    'x-fluent-event': 'feed.created',
    'x-fluent-webhook-id': '1',
    'x-fluent-signature': `sha256=${'0'.repeat(64)}`,
    'webhook-id': rows[0].uid,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': `v1,${'A'.repeat(43)}=`,
  };
  return bareUndiciRate({
    url: `${ctx.receiver.url}/ok`,
    concurrency,
    seconds: ctx.quick ? 3 : 5,
    body: rows[0].payload,
    headers,
    caFile: ctx.stack.tls.caFile,
    scratchDir: ctx.stack.dir,
  });
}

export const p2Concurrency = 128;

export async function runP2(ctx: BenchContext): Promise<FigureResult> {
  const count = ctx.quick ? 20_000 : 40_000;
  const runs = await measureThroughput(ctx, { label: 'p2', count, concurrency: p2Concurrency });
  const rate = median(runs.map((r) => r.rate));
  const bareRate = median(runs.map((r) => r.bareRate));
  const ratio = median(runs.map((r) => r.rate / r.bareRate));
  return {
    id: 'P2',
    title: 'Sustained deliveries per second (durable)',
    rows: [
      {
        what: `deliveries/s, ${ctx.receiver.scheme}, concurrency ${p2Concurrency}`,
        value: fmt(rate),
        target: '≥ 5,000/s',
        met: rate >= 5000,
      },
      {
        what: 'bare undici, same bodies, receiver, concurrency',
        value: fmt(bareRate),
        target: '—',
        met: null,
      },
      { what: 'ratio sidecar / bare undici', value: fmt(ratio, 2), target: '≥ 0.25', met: ratio >= 0.25 },
    ],
    details: { rate, bareRate, ratio, count, concurrency: p2Concurrency, scheme: ctx.receiver.scheme, runs },
  };
}
