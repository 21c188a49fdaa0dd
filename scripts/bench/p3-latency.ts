/**
 * P3: latency from the hook to the receiver at 100 events/s, through real WordPress requests: the emulator's /fire
 * route fires feed.created inside a REST request; the plugin stores it in the inbox and wakes the sidecar at
 * shutdown; the sidecar drains, fans out and delivers. Latency = receiver arrival − the hook's time (recorded by
 * the plugin, kept as the event's created_at to the millisecond); the request's start is shown beside it.
 */
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { createWebhook } from './seed.ts';
import { benchPool } from './stack.ts';
import { median, percentile } from './stats.ts';
import type { BenchSite } from './wordpress.ts';

/** WordPress requests per second and events per request (100 events/s; a WordPress request costs tens of ms). */
export const p3Shape = { requestsPerSecond: 10, eventsPerRequest: 10 };

interface LatencyRun {
  events: number;
  hookP50: number;
  hookP99: number;
  requestP50: number;
  requestP99: number;
  /** Receiver arrival − the client's receipt of the WordPress response (negative: delivered before it). */
  afterResponseP50: number;
  afterResponseP99: number;
  lost: number;
}

async function oneRun(
  ctx: BenchContext,
  site: BenchSite,
  seconds: number,
  runIndex: number,
): Promise<LatencyRun> {
  const { requestsPerSecond, eventsPerRequest } = p3Shape;
  await ctx.receiver.reset();
  await ctx.receiver.record(true);
  const total = Math.round(seconds * requestsPerSecond);
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  const base = 1_000_000 * (runIndex + 1);
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / requestsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    starts.set(base + i, performance.timeOrigin + performance.now());
    // Open loop: a slow request does not hold back the next one.
    pending.push(
      site
        .rest('fcwh-test/v1/fire', {
          fixture: 'feed.created',
          times: eventsPerRequest,
          overrides: { 0: { id: base + i } },
        })
        .then(() => ends.set(base + i, performance.timeOrigin + performance.now())),
    );
  }
  await Promise.all(pending);
  const expected = total * eventsPerRequest;
  for (let waited = 0; waited < 10_000 && (await ctx.receiver.stats()).count < expected; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  await ctx.receiver.record(false);
  const arrivals = await ctx.receiver.arrivals();
  return score(site, arrivals, starts, ends, expected);
}

async function score(
  site: BenchSite,
  arrivals: [string, number, string, number][],
  starts: Map<number, number>,
  ends: Map<number, number>,
  expected: number,
): Promise<LatencyRun> {
  if (arrivals.length === 0) throw new Error('P3: no delivery reached the receiver');
  const pool = benchPool(site.db, 1);
  try {
    const [rows] = (await pool.query(
      `SELECT uid, created_at, JSON_VALUE(payload, '$.data.id') AS rid FROM wp_fcwh_events WHERE uid IN (?)`,
      [arrivals.map((a) => a[0])],
    )) as never as [{ uid: string; created_at: string; rid: string }[]];
    const byUid = new Map(rows.map((r) => [r.uid, r]));
    const hook: number[] = [];
    const request: number[] = [];
    const afterResponse: number[] = [];
    for (const [uid, , , at] of arrivals) {
      const row = byUid.get(uid);
      if (!row) continue;
      hook.push(at - Date.parse(`${row.created_at.replace(' ', 'T')}Z`));
      const started = starts.get(Number(row.rid));
      if (started) request.push(at - started);
      const ended = ends.get(Number(row.rid));
      if (ended) afterResponse.push(at - ended);
    }
    return {
      events: hook.length,
      hookP50: percentile(hook, 50),
      hookP99: percentile(hook, 99),
      requestP50: percentile(request, 50),
      requestP99: percentile(request, 99),
      afterResponseP50: percentile(afterResponse, 50),
      afterResponseP99: percentile(afterResponse, 99),
      lost: expected - hook.length,
    };
  } finally {
    await pool.end();
  }
}

export async function runP3(ctx: BenchContext, site: BenchSite): Promise<FigureResult> {
  const seconds = ctx.quick ? 8 : 15;
  await createWebhook(site.sidecar()!, `${ctx.receiver.url}/ok`);
  await oneRun(ctx, site, 2, 99); // warm-up: connections, OPcache, JIT
  const runs: LatencyRun[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const run = await oneRun(ctx, site, seconds, i);
    runs.push(run);
    ctx.log(
      `P3 run ${i + 1}: hook→receiver p50 ${fmt(run.hookP50, 1)} ms, p99 ${fmt(run.hookP99, 1)} ms; request start→receiver p50 ${fmt(run.requestP50, 1)} ms; response→receiver p50 ${fmt(run.afterResponseP50, 1)} p99 ${fmt(run.afterResponseP99, 1)} ms (${run.events} events, ${run.lost} missing)`,
    );
  }
  const p50 = median(runs.map((r) => r.hookP50));
  const p99 = median(runs.map((r) => r.hookP99));
  const lost = runs.reduce((n, r) => n + r.lost, 0);
  const shape = `${p3Shape.requestsPerSecond} WordPress requests/s × ${p3Shape.eventsPerRequest} events`;
  return {
    id: 'P3',
    title: 'Latency hook → receiver at 100 events/s',
    rows: [
      {
        what: `hook → receiver p50, ${shape}`,
        value: `${fmt(p50, 1)} ms`,
        target: '≤ 5 ms',
        met: p50 <= 5 && lost === 0,
      },
      {
        what: 'hook → receiver p99',
        value: `${fmt(p99, 1)} ms`,
        target: '≤ 25 ms',
        met: p99 <= 25 && lost === 0,
      },
      {
        what: 'request start → receiver p50 / p99 (context)',
        value: `${fmt(median(runs.map((r) => r.requestP50)), 1)} / ${fmt(median(runs.map((r) => r.requestP99)), 1)} ms`,
        target: '—',
        met: null,
      },
    ],
    details: { seconds, ...p3Shape, runs, lost },
  };
}
