/**
 * P1: the extra time a PHP request spends because it fired a Fluent Community action the plugin listens to.
 * Inside WordPress, the emulator's /bench route times thousands of do_action() calls with the listener attached and
 * detached (same request shape, same hook); the difference is the listener's cost per call. The once-per-request
 * wake-up at shutdown is timed separately. Three conditions: sidecar up, receiver taking 10 s, sidecar stopped.
 */
import { fmt, type BenchContext, type FigureResult, type FigureRow } from './context.ts';
import { createWebhook, updateWebhook } from './seed.ts';
import { benchPool } from './stack.ts';
import { median, round } from './stats.ts';
import { startBenchSite, type BenchSite } from './wordpress.ts';

interface BenchAnswer {
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
}

export interface HookCost {
  condition: string;
  /** Listener cost per call (attached − detached), medians over runs, ms. */
  p50: number;
  p99: number;
  /** The shutdown wake-up, once per request that stored something, ms. */
  wakeP50: number;
  wakeP99: number;
  runs: { baseline: BenchAnswer; active: BenchAnswer }[];
}

const bench = (site: BenchSite, iterations: number, baseline: boolean) =>
  site.rest<BenchAnswer>('fcwh-test/v1/bench', { fixture: 'feed.created', iterations, baseline });

/** Times SidecarClient::wake() (what the plugin does at shutdown) `n` times inside WordPress. */
async function wakeCost(site: BenchSite, n: number): Promise<{ p50: number; p99: number }> {
  const out = await site.wp.php(`
    $ms = array();
    for ( $i = 0; $i < ${n}; $i++ ) {
      $t = hrtime( true );
      \\FluentCommunityWebhooks\\SidecarClient::wake();
      $ms[] = ( hrtime( true ) - $t ) / 1e6;
    }
    sort( $ms );
    echo json_encode( array( 'p50' => $ms[ (int) floor( ( ${n} - 1 ) * 0.5 ) ], 'p99' => $ms[ (int) floor( ( ${n} - 1 ) * 0.99 ) ] ) );`);
  return JSON.parse(out.slice(out.lastIndexOf('{'))) as { p50: number; p99: number };
}

async function measure(ctx: BenchContext, site: BenchSite, condition: string): Promise<HookCost> {
  const iterations = ctx.quick ? 2000 : 5000;
  await bench(site, 200, false); // warm OPcache and the connection
  const runs: HookCost['runs'] = [];
  for (let i = 0; i < ctx.runs; i++) {
    // Alternate the order so drift (the sidecar draining, other load) does not always favour one side.
    const first = i % 2 === 0;
    const a = await bench(site, iterations, first);
    const b = await bench(site, iterations, !first);
    runs.push(first ? { baseline: a, active: b } : { baseline: b, active: a });
  }
  const wake = await wakeCost(site, ctx.quick ? 200 : 500);
  const cost: HookCost = {
    condition,
    p50: median(runs.map((r) => r.active.p50_ms - r.baseline.p50_ms)),
    p99: median(runs.map((r) => r.active.p99_ms - r.baseline.p99_ms)),
    wakeP50: wake.p50,
    wakeP99: wake.p99,
    runs,
  };
  ctx.log(
    `P1 ${condition}: +${round(cost.p50, 3)} ms p50, +${round(cost.p99, 3)} ms p99 per call; wake ${round(wake.p50, 3)} / ${round(wake.p99, 3)} ms`,
  );
  return cost;
}

/** Drops P1's webhooks and thousands of queued calls and deliveries, so that P3 starts from empty tables. */
async function forgetBacklog(site: BenchSite): Promise<void> {
  const pool = benchPool(site.db, 1);
  try {
    await pool.query(
      'DELETE FROM wp_fcwh_inbox; DELETE FROM wp_fcwh_attempts; DELETE FROM wp_fcwh_deliveries; DELETE FROM wp_fcwh_events;' +
        'DELETE FROM wp_fcwh_subscriptions; DELETE FROM wp_fcwh_webhooks;',
    );
  } finally {
    await pool.end();
  }
}

/** Runs P1 on `site` (left with its sidecar running and empty tables, for P3). */
export async function runP1(ctx: BenchContext, site: BenchSite): Promise<FigureResult> {
  const webhookId = await createWebhook(site.sidecar()!, `${ctx.receiver.url}/ok`);
  const costs = [await measure(ctx, site, 'sidecar up')];
  await updateWebhook(site.sidecar()!, webhookId, { url: `${ctx.receiver.url}/slow/10000` });
  costs.push(await measure(ctx, site, 'receiver takes 10 s'));
  await site.stopSidecar('SIGKILL'); // no waiting 10 s for the slow receiver's attempts
  costs.push(await measure(ctx, site, 'sidecar stopped'));
  await forgetBacklog(site);
  await site.startSidecar();
  const rows: FigureRow[] = costs.flatMap((c) => [
    {
      what: `per call, ${c.condition} (p50 / p99)`,
      value: `+${fmt(c.p50, 3)} / +${fmt(c.p99, 3)} ms`,
      target: '≤ 0.3 / ≤ 1 ms',
      met: c.p50 <= 0.3 && c.p99 <= 1,
    },
    {
      what: `  + wake-up once per request, ${c.condition}`,
      value: `${fmt(c.wakeP50, 3)} / ${fmt(c.wakeP99, 3)} ms`,
      target: '—',
      met: null,
    },
  ]);
  return {
    id: 'P1',
    title: 'Hook overhead in the PHP request (plugin active vs inactive)',
    rows,
    details: { iterations: ctx.quick ? 2000 : 5000, costs },
  };
}
