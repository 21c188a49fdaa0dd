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
  /** Each healthy delivery's latency, ms (kept in memory for the pooled percentiles, not written to the JSON). */
  latencies: number[];
}

/** One side of the comparison: its own database and sidecar, a healthy webhook and, beside it, a black hole. */
interface Side {
  sidecar: Sidecar;
  pool: ReturnType<typeof benchPool>;
  windows: Window[];
  usage: ReturnType<typeof sampleUsage>;
}

async function startSide(ctx: BenchContext, blackHole: boolean): Promise<Side> {
  const db = await newDatabase(ctx.stack, blackHole ? 'p5_blackhole' : 'p5_alone');
  const pool = benchPool(db, 2);
  await createWpUserTables(pool);
  const sidecar = await startBenchSidecar(ctx.stack, db, {
    label: blackHole ? 'p5-blackhole' : 'p5-alone',
    allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
    env: isolationEnv,
  });
  await createWebhook(sidecar, `${ctx.receiver.url}/ok`, ['feed.created'], 'healthy');
  if (blackHole)
    await createWebhook(sidecar, `${ctx.receiver.url}/blackhole`, ['feed.created'], 'black hole');
  return { sidecar, pool, windows: [], usage: sampleUsage({ sidecar: sidecar.process.pid }) };
}

/**
 * One load window on one side: 1 s of unrecorded load first (the receiver closes connections idle for 5 s, so the
 * side that waited would otherwise pay fresh TLS handshakes inside its window), then `seconds` recorded.
 */
async function measureWindow(ctx: BenchContext, side: Side, seconds: number): Promise<Window> {
  await ingestLoad(side.sidecar, { seconds: 1, rate: isolationRate });
  await ctx.receiver.reset();
  await ctx.receiver.record(true);
  await ingestLoad(side.sidecar, { seconds, rate: isolationRate });
  await new Promise((r) => setTimeout(r, 500));
  await ctx.receiver.record(false);
  const window = await healthyLatency(side.pool, await ctx.receiver.arrivals());
  side.windows.push(window);
  return window;
}

/**
 * The healthy endpoint's p99 alone and beside a black hole, in alternating windows (alone, beside, beside, alone,
 * …) so that the machine's load, which drifts over a minute, weighs on both sides alike. The figure is each side's
 * p99 over all its windows together; the pairs' own rises (each pair two adjacent windows) are reported with it.
 */
async function isolation(ctx: BenchContext) {
  // An odd count, so the median is a pair's own rise; 600 samples per window put its p99 at the 6th slowest.
  const pairs = ctx.quick ? 3 : Math.max(5, ctx.runs | 1);
  const seconds = ctx.quick ? 4 : 6;
  const alone = await startSide(ctx, false);
  let beside: Side | undefined;
  try {
    beside = await startSide(ctx, true);
    const rises: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? [alone, beside] : [beside, alone];
      for (const side of order) await measureWindow(ctx, side, seconds);
      const a = alone.windows.at(-1)!.p99;
      const b = beside.windows.at(-1)!.p99;
      rises.push(b / a - 1);
      ctx.log(`P5 pair ${i + 1}: healthy p99 alone ${fmt(a, 1)} ms, beside a black hole ${fmt(b, 1)} ms`);
    }
    /** p50 and p99 over every window of a side together (3,000 samples in a full run instead of 600). */
    const pooled = (side: Side) => {
      const all = side.windows.flatMap((w) => w.latencies);
      return { p50: percentile(all, 50), p99: percentile(all, 99), events: all.length };
    };
    const windows = (side: Side) => side.windows.map(({ latencies: _, ...w }) => w);
    return {
      pairs,
      seconds,
      rises,
      alone: { pooled: pooled(alone), windows: windows(alone), sidecar: alone.usage.stop().sidecar! },
      beside: { pooled: pooled(beside), windows: windows(beside), sidecar: beside.usage.stop().sidecar! },
    };
  } finally {
    // SIGKILL: the black hole's attempts would hold a graceful stop for 10 s.
    for (const side of [alone, beside]) {
      if (!side) continue;
      await side.sidecar.stop('SIGKILL');
      await side.pool.end();
    }
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
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    events: latencies.length,
    latencies,
  };
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
  const { alone, beside, rises, pairs, seconds } = await isolation(ctx);
  // The figure: p99 over all of a side's windows together. One window's p99 (its 6th slowest of 600) moves
  // 30-100 ms from window to window on this machine; the pairs' median rise and spread are shown beside it.
  const p99Alone = alone.pooled.p99;
  const p99Beside = beside.pooled.p99;
  const rise = p99Beside / p99Alone - 1;
  const pairRise = median(rises);
  const pct = (r: number) => `${r >= 0 ? '+' : '−'}${fmt(Math.abs(r) * 100)} %`;
  const spread = `${pct(Math.min(...rises))} … ${pct(Math.max(...rises))}`;
  ctx.log(
    `P5 healthy p99 over all windows alone ${fmt(p99Alone, 1)} ms, beside a black hole ${fmt(p99Beside, 1)} ms (${pct(rise)}); p50 ${fmt(alone.pooled.p50, 1)} → ${fmt(beside.pooled.p50, 1)} ms; pairs' median rise ${pct(pairRise)} (${spread})`,
  );
  const backlog = await backlogDrain(ctx);
  ctx.log(`P5 backlog drained at ${fmt(backlog.rate)}/s (${fmt(backlog.seconds, 1)} s in all)`);
  const count = ctx.quick ? 30_000 : 100_000;
  return {
    id: 'P5',
    title: 'A black-holed endpoint beside a healthy one; backlog after an outage',
    rows: [
      {
        what: `healthy p99 alone → beside a black hole (${isolationRate} events/s, ${pairs} alternating pairs of ${seconds} s, all windows together)`,
        value: `${fmt(p99Alone, 1)} → ${fmt(p99Beside, 1)} ms (${pct(rise)})`,
        target: '≤ +20 %',
        met: rise <= 0.2,
      },
      {
        what: "healthy p50 alone → beside; the pairs' own p99 rises: median (spread)",
        value: `${fmt(alone.pooled.p50, 1)} → ${fmt(beside.pooled.p50, 1)} ms; ${pct(pairRise)} (${spread})`,
        target: '—',
        met: null,
      },
      {
        what: `${fmt(count)}-event backlog drain rate`,
        value: `${fmt(backlog.rate)}/s (${fmt(backlog.seconds, 1)} s)`,
        target: '≥ 3,000/s',
        met: backlog.rate >= 3000,
      },
    ],
    details: { isolationRate, isolationEnv, alone, beside, rises, pairRise, backlog, backlogCount: count },
  };
}
