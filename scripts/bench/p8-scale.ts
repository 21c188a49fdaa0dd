/**
 * P8: P2 again on big tables: 1,000,000 old delivered deliveries (with their events and attempts, 1–20 days old)
 * and 100,000 pending retries (due in an hour), compared with P2's empty-table figure from the same run.
 */
import type mysql from 'mysql2/promise';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { measureThroughput, p2Concurrency } from './p2-throughput.ts';
import { cloneEvents } from './seed.ts';
import { median } from './stats.ts';

export async function runP8(ctx: BenchContext, emptyRate: number): Promise<FigureResult> {
  const old = ctx.quick ? 100_000 : 1_000_000;
  const pending = ctx.quick ? 10_000 : 100_000;
  let seedSeconds = 0;
  const preload = async (pool: mysql.Pool, webhookId: number) => {
    const started = performance.now();
    // Ten slices of ages from 20 days down to 2 days: history within the 30-day retention (nothing is pruned).
    for (let slice = 0; slice < 10; slice++) {
      await cloneEvents(pool, 1, {
        count: old / 10,
        webhookIds: [webhookId],
        status: 'delivered',
        ageSeconds: (20 - slice * 2) * 86_400,
        withAttempts: true,
      });
    }
    await cloneEvents(pool, 1, { count: pending, webhookIds: [webhookId], dueInSeconds: 3600 });
    await pool.query('ANALYZE TABLE wp_fcwh_events, wp_fcwh_deliveries, wp_fcwh_attempts');
    seedSeconds = (performance.now() - started) / 1000;
    ctx.log(`P8 tables loaded in ${fmt(seedSeconds)} s`);
  };
  const runs = await measureThroughput(ctx, {
    label: 'p8',
    count: ctx.quick ? 20_000 : 40_000,
    concurrency: p2Concurrency,
    preload,
    bare: false,
  });
  const rate = median(runs.map((r) => r.rate));
  const ratio = rate / emptyRate;
  return {
    id: 'P8',
    title: `P2 on big tables (${fmt(old)} old delivered, ${fmt(pending)} pending)`,
    rows: [
      {
        what: 'deliveries/s vs empty tables (P2)',
        value: `${fmt(rate)}/s = ${fmt(ratio * 100)} % of ${fmt(emptyRate)}/s`,
        target: '≥ 80 %',
        met: ratio >= 0.8,
      },
    ],
    details: { old, pending, seedSeconds, runs },
  };
}
