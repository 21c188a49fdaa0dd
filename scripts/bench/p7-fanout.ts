/**
 * P7: fan-out. One event to 500 subscribed webhooks (all on the receiver process, each its own path): time from
 * the event's time to the last arrival at the receiver, and to the last 2xx recorded in the database.
 * P7F: the same with filters on every webhook, half of which leave the event out (shared/filters.ts): 125 list
 * another space, 125 only secret spaces; the other 250 list the event's space. Filtering happens inside the
 * fan-out's INSERT … SELECT, so the ingest request's time (store + fan-out) shows what it costs.
 */
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { createWebhook, createWpUserTables, feedCreatedCall, ingest, updateWebhook } from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';
import { median } from './stats.ts';

const webhooks = 500;
/**
 * Rounds run before the counted ones. The first opens the connections; the next two still run slow while V8
 * compiles the hot path: in four runs of 9 counted rounds (2 cores, 66–72 % CPU pressure) rounds 1–3 took
 * 0.58–1.22 s, rounds 5–9 0.33–0.73 s.
 * A service that fans out has been running; a sidecar started a second ago is not what P7 asks about.
 */
const warmUpRounds = 3;

/** `BENCH_P7_CONCURRENCY=128` (an experiment, labelled in the table): FCWH_CONCURRENCY other than the default. */
const concurrency = process.env.BENCH_P7_CONCURRENCY;

interface FanoutRun {
  /** ms from the event's time to the last of the 500 arrivals. */
  lastArrival: number;
  /** ms from the event's time until all 500 were recorded delivered. */
  allRecorded: number;
  arrived: number;
  /** ms of the POST /events request: the event stored and fanned out (committed). */
  ingest: number;
}

/** P7F's filters for webhook `i`: the example event is in public space 8 (shared/event-examples.ts). */
function filtersFor(i: number) {
  if (i % 2 === 0) return { spaces: [8] };
  return i % 4 === 1 ? { spaces: [999] } : { privacy: ['secret'] };
}

/**
 * One at a time: concurrent POST /admin/webhooks deadlock on the subscriptions table (the DELETE of a new
 * webhook's subscriptions takes a gap lock that the other creators' INSERTs then wait on; see docs/BENCHMARKS.md).
 */
async function createWebhooks(
  ctx: BenchContext,
  sidecar: Parameters<typeof createWebhook>[0],
  filtered: boolean,
): Promise<void> {
  for (let i = 0; i < webhooks; i++) {
    const id = await createWebhook(sidecar, `${ctx.receiver.url}/ok/w${i}`, ['feed.created'], `fan-out ${i}`);
    if (filtered) await updateWebhook(sidecar, id, { filters: filtersFor(i) });
  }
}

/** P7, or with `filtered` P7F (half of the webhooks filter the event out). */
export async function runP7(ctx: BenchContext, filtered = false): Promise<FigureResult> {
  const expected = filtered ? webhooks / 2 : webhooks;
  const db = await newDatabase(ctx.stack, 'p7');
  const pool = benchPool(db, 2);
  await createWpUserTables(pool);
  const sidecar = await startBenchSidecar(ctx.stack, db, {
    label: 'p7',
    allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
    ...(concurrency ? { env: { FCWH_CONCURRENCY: concurrency } } : {}),
  });
  const runs: FanoutRun[] = [];
  try {
    await createWebhooks(ctx, sidecar, filtered);
    for (let i = 0; i < ctx.runs + warmUpRounds; i++) {
      await ctx.receiver.reset();
      await ctx.receiver.record(true);
      const at = Date.now();
      await ingest(sidecar, [feedCreatedCall(at, i + 1)]);
      const ingested = Date.now() - at;
      const allRecorded = await waitRecorded(pool, (i + 1) * expected, at);
      await ctx.receiver.record(false);
      const arrivals = await ctx.receiver.arrivals();
      const run = {
        lastArrival: Math.max(...arrivals.map((a) => a[3])) - at,
        allRecorded,
        arrived: arrivals.length,
        ingest: ingested,
      };
      if (i >= warmUpRounds) runs.push(run);
      ctx.log(
        `P7${filtered ? 'F' : ''} run ${i}: ingest ${fmt(ingested)} ms, last arrival ${fmt(run.lastArrival)} ms, all recorded ${fmt(allRecorded)} ms (${run.arrived} arrived)`,
      );
    }
  } finally {
    await sidecar.stop();
    await pool.end();
  }
  const recorded = median(runs.map((r) => r.allRecorded));
  const arrival = median(runs.map((r) => r.lastArrival));
  const ingestMs = median(runs.map((r) => r.ingest));
  const complete = runs.every((r) => r.arrived === expected);
  const settings = concurrency
    ? `FCWH_CONCURRENCY=${concurrency}, 16 per webhook`
    : 'sidecar defaults (64 slots, 16 per webhook)';
  return {
    id: filtered ? 'P7F' : 'P7',
    title: filtered
      ? 'Fan-out: one event to 500 filtered webhooks, 250 of which filter it out'
      : 'Fan-out: one event to 500 webhooks',
    rows: [
      {
        what: `all ${expected} recorded delivered (2xx, durable; after ${warmUpRounds} warm-up rounds)${concurrency ? `, ${settings}` : ''}`,
        value: `${fmt(recorded)} ms`,
        target: '≤ 500 ms',
        met: recorded <= 500 && complete,
      },
      {
        what: `last of ${expected} arrivals at the receiver`,
        value: `${fmt(arrival)} ms`,
        target: '—',
        met: null,
      },
      {
        what: 'ingest request (event stored and fanned out)',
        value: `${fmt(ingestMs)} ms`,
        target: '—',
        met: null,
      },
    ],
    details: { webhooks, expected, filtered, warmUpRounds, runs, settings },
  };
}

/**
 * Polls until `total` deliveries are delivered; ms since `at`. Up to 30 s: a round that gave up early (the warm-up
 * round's fresh TLS handshakes take seconds on a loaded machine) would leave its arrivals to the next round's count.
 */
async function waitRecorded(pool: ReturnType<typeof benchPool>, total: number, at: number): Promise<number> {
  while (Date.now() - at < 30_000) {
    const [[row]] = (await pool.query(
      "SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'delivered'",
    )) as never as [[{ n: number }]];
    if (Number(row.n) >= total) return Date.now() - at;
    await new Promise((r) => setTimeout(r, 10));
  }
  return Infinity;
}
