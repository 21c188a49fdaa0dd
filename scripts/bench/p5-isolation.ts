/**
 * P5: (a) a black-holed endpoint (reads the request, never answers) beside a healthy one: the healthy endpoint's
 * p99 latency (event stored → receiver) with and without the bad one, under the same open-loop load; (b) a
 * 100,000-event backlog left by a receiver outage (every delivery attempted once, its retry due): how fast it drains
 * once the receiver is back.
 */
import type { Sidecar } from '../stack/sidecar.ts';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { attemptMark, watchDrain } from './drain.ts';
import { ingestLoad } from './p4-ingest.ts';
import { throughputEnv } from './p2-throughput.ts';
import { sampleUsage, type Usage } from './proc.ts';
import { cloneEvents, createWebhook, createWpUserTables, feedCreatedCall, ingest } from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';
import { median, percentile } from './stats.ts';

/** Events per second during the isolation runs (each goes to both endpoints). */
export const isolationRate = 100;
/** Sidecar settings: many slots overall, the default per-webhook limit (what keeps a dead endpoint contained). */
const isolationEnv = { FCWH_CONCURRENCY: '128', FCWH_PER_WEBHOOK_CONCURRENCY: '16' };

interface Window {
  p50: number;
  p99: number;
  events: number;
}

/** Healthy-endpoint latency over consecutive load windows, with the black hole active or not. */
async function isolationWindows(
  ctx: BenchContext,
  blackHole: boolean,
): Promise<{ windows: Window[]; sidecar: Usage }> {
  const db = await newDatabase(ctx.stack, blackHole ? 'p5_blackhole' : 'p5_alone');
  const pool = benchPool(db, 2);
  await createWpUserTables(pool);
  const sidecar = await startBenchSidecar(ctx.stack, db, {
    label: blackHole ? 'p5-blackhole' : 'p5-alone',
    allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
    env: isolationEnv,
  });
  const seconds = ctx.quick ? 5 : 8;
  try {
    await createWebhook(sidecar, `${ctx.receiver.url}/ok`, ['feed.created'], 'healthy');
    if (blackHole)
      await createWebhook(sidecar, `${ctx.receiver.url}/blackhole`, ['feed.created'], 'black hole');
    await ingestLoad(sidecar, { seconds: 2, rate: isolationRate }); // warm-up
    const usage = sampleUsage({ sidecar: sidecar.process.pid });
    const windows: Window[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      await ctx.receiver.reset();
      await ctx.receiver.record(true);
      await ingestLoad(sidecar, { seconds, rate: isolationRate });
      await new Promise((r) => setTimeout(r, 500));
      await ctx.receiver.record(false);
      windows.push(await healthyLatency(pool, await ctx.receiver.arrivals()));
    }
    return { windows, sidecar: usage.stop().sidecar! };
  } finally {
    await sidecar.stop('SIGKILL'); // the black hole's attempts would hold a graceful stop for 10 s
    await pool.end();
  }
}

async function healthyLatency(
  pool: ReturnType<typeof benchPool>,
  arrivals: [string, number, string, number][],
) {
  const healthy = arrivals.filter((a) => a[2] === '/ok');
  const [rows] = (await pool.query('SELECT uid, created_at FROM wp_fcwh_events WHERE uid IN (?)', [
    healthy.map((a) => a[0]),
  ])) as never as [{ uid: string; created_at: string }[]];
  const created = new Map(rows.map((r) => [r.uid, Date.parse(`${r.created_at.replace(' ', 'T')}Z`)]));
  const latencies = healthy.filter((a) => created.has(a[0])).map((a) => a[3] - created.get(a[0])!);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), events: latencies.length };
}

/** The backlog: 100,000 deliveries attempted once during an outage, due again; the receiver is back. */
async function backlogDrain(ctx: BenchContext): Promise<{ rate: number; seconds: number; sidecar: Usage }> {
  const count = ctx.quick ? 30_000 : 100_000;
  const db = await newDatabase(ctx.stack, 'p5_backlog');
  const pool = benchPool(db);
  await createWpUserTables(pool);
  let sidecar: Sidecar = await startBenchSidecar(ctx.stack, db, {
    label: 'p5-backlog-setup',
    allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
  });
  try {
    const id = await createWebhook(sidecar, `${ctx.receiver.url}/ok`);
    await ingest(sidecar, [feedCreatedCall()]);
    await new Promise((r) => setTimeout(r, 500));
    await sidecar.stop();
    await cloneEvents(pool, 1, { count, webhookIds: [id], attempts: 1, dueInSeconds: -1 });
    await ctx.receiver.reset();
    const mark = await attemptMark(pool);
    const started = performance.now();
    sidecar = await startBenchSidecar(ctx.stack, db, {
      label: 'p5-backlog',
      allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
      env: throughputEnv(128),
    });
    const usage = sampleUsage({ sidecar: sidecar.process.pid });
    const drain = await watchDrain(pool, mark, count, started, 180_000);
    const used = usage.stop();
    if (drain.recorded < count) throw new Error(`P5 backlog: ${drain.recorded} of ${count} recorded`);
    return { rate: drain.steadyRate, seconds: drain.totalSeconds, sidecar: used.sidecar! };
  } finally {
    await sidecar.stop();
    await pool.end();
  }
}

export async function runP5(ctx: BenchContext): Promise<FigureResult> {
  const alone = await isolationWindows(ctx, false);
  const beside = await isolationWindows(ctx, true);
  const p99Alone = median(alone.windows.map((w) => w.p99));
  const p99Beside = median(beside.windows.map((w) => w.p99));
  const rise = p99Beside / p99Alone - 1;
  ctx.log(`P5 healthy p99 alone ${fmt(p99Alone, 1)} ms, beside a black hole ${fmt(p99Beside, 1)} ms`);
  const backlog = await backlogDrain(ctx);
  ctx.log(`P5 backlog drained at ${fmt(backlog.rate)}/s (${fmt(backlog.seconds, 1)} s in all)`);
  const count = ctx.quick ? 30_000 : 100_000;
  return {
    id: 'P5',
    title: 'A black-holed endpoint beside a healthy one; backlog after an outage',
    rows: [
      {
        what: `healthy p99 alone → beside a black hole (${isolationRate} events/s)`,
        value: `${fmt(p99Alone, 1)} → ${fmt(p99Beside, 1)} ms (${rise >= 0 ? '+' : ''}${fmt(rise * 100)} %)`,
        target: '≤ +20 %',
        met: rise <= 0.2,
      },
      {
        what: `${fmt(count)}-event backlog drain rate`,
        value: `${fmt(backlog.rate)}/s (${fmt(backlog.seconds, 1)} s)`,
        target: '≥ 3,000/s',
        met: backlog.rate >= 3000,
      },
    ],
    details: { isolationRate, isolationEnv, alone, beside, backlog, backlogCount: count },
  };
}
