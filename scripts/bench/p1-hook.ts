/**
 * P1: the extra time a PHP request spends because it fired a Fluent Community action the plugin listens to.
 * Inside WordPress, the emulator's /bench route times thousands of do_action() calls with the listener attached and
 * detached (same request shape, same hook); the difference is the listener's cost per call. The listener buffers
 * calls in memory; what a request pays once at shutdown is timed separately: the inbox write (one INSERT of the
 * request's calls, timed by the route after every 1 or 10 calls, outside the calls' timings) and the wake-up.
 * Three conditions: sidecar up, receiver taking 10 s, sidecar stopped.
 */
import { fmt, type BenchContext, type FigureResult, type FigureRow } from './context.ts';
import { createWebhook, updateWebhook } from './seed.ts';
import { benchPool } from './stack.ts';
import { median, round } from './stats.ts';
import { startBenchSite, type BenchSite } from './wordpress.ts';

interface Timings {
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
}

interface BenchAnswer extends Timings {
  /** The inbox writes, with `per_request`: one per `rows_per_one` calls. */
  flush?: Timings & { count: number; rows_per_one: number };
}

/** p50 and p99 in ms. */
interface Quantiles {
  p50: number;
  p99: number;
}

export interface HookCost {
  condition: string;
  /** Listener cost per call (attached − detached), medians over runs, ms. */
  p50: number;
  p99: number;
  /** The shutdown inbox write of a request that made 1 call / 10 calls (one INSERT), medians over runs, ms. */
  write1: Quantiles;
  write10: Quantiles;
  /** The shutdown wake-up, once per request that stored something, ms. */
  wake: Quantiles;
  /** Reference: one autocommit INSERT of one row (the old listener's cost per call), ms. */
  insert: Quantiles;
  runs: { baseline: BenchAnswer; active: BenchAnswer; single: BenchAnswer }[];
}

/** Calls per request in the main active run (P3's PHP requests carry 10 events each). */
const callsPerRequest = 10;

const bench = (site: BenchSite, iterations: number, baseline: boolean, perRequest = 0) =>
  site.rest<BenchAnswer>('fcwh-test/v1/bench', {
    fixture: 'feed.created',
    iterations,
    baseline,
    per_request: perRequest,
  });

/** Times `body` (PHP, after `setup`) `n` times inside WordPress, in a PHP CLI process with the plugin loaded. */
async function timeInWordPress(site: BenchSite, n: number, body: string, setup = ''): Promise<Quantiles> {
  const out = await site.wp.php(`
    ${setup}
    $ms = array();
    for ( $i = 0; $i < ${n}; $i++ ) {
      $t = hrtime( true );
      ${body}
      $ms[] = ( hrtime( true ) - $t ) / 1e6;
    }
    sort( $ms );
    echo json_encode( array( 'p50' => $ms[ (int) floor( ( ${n} - 1 ) * 0.5 ) ], 'p99' => $ms[ (int) floor( ( ${n} - 1 ) * 0.99 ) ] ) );`);
  return JSON.parse(out.slice(out.lastIndexOf('{'))) as Quantiles;
}

/** SidecarClient::wake(): what the plugin does at shutdown after the write. */
const wakeCost = (site: BenchSite, n: number) =>
  timeInWordPress(site, n, '\\FluentCommunityWebhooks\\SidecarClient::wake();');

/**
 * For reference, in the same conditions: one autocommit `$wpdb->insert` of a 2 KB inbox row, what the listener
 * did for every call before it buffered (the sidecar drops the rows: their hook is not one of the contracts).
 */
const insertCost = (site: BenchSite, n: number) =>
  timeInWordPress(
    site,
    n,
    "$wpdb->insert( \\FluentCommunityWebhooks\\Inbox::table(), $row, array( '%s', '%s', '%d', '%s', '%s' ) );",
    `global $wpdb;
    $row = array( 'hook' => 'fcwh/bench/reference', 'args' => wp_json_encode( array( str_repeat( 'x', 2150 ) ) ),
      'actor_id' => 1, 'request_id' => wp_generate_uuid4(), 'occurred_at' => gmdate( 'Y-m-d H:i:s' ) );`,
  );

const writeOf = (answers: BenchAnswer[]): Quantiles => ({
  p50: median(answers.map((a) => a.flush?.p50_ms ?? NaN)),
  p99: median(answers.map((a) => a.flush?.p99_ms ?? NaN)),
});

async function measure(ctx: BenchContext, site: BenchSite, condition: string): Promise<HookCost> {
  const iterations = ctx.quick ? 2000 : 5000;
  await bench(site, 200, false, callsPerRequest); // warm OPcache and the connection
  const runs: HookCost['runs'] = [];
  for (let i = 0; i < ctx.runs; i++) {
    // Alternate the order so drift (the sidecar draining, other load) does not always favour one side.
    const order =
      i % 2 === 0 ? (['baseline', 'active', 'single'] as const) : (['single', 'active', 'baseline'] as const);
    const got: Partial<HookCost['runs'][number]> = {};
    for (const kind of order) {
      got[kind] =
        kind === 'baseline'
          ? await bench(site, iterations, true)
          : kind === 'active'
            ? await bench(site, iterations, false, callsPerRequest)
            : await bench(site, iterations / 5, false, 1); // a write per call: one commit each
    }
    runs.push(got as HookCost['runs'][number]);
  }
  const wake = await wakeCost(site, ctx.quick ? 200 : 500);
  const insert = await insertCost(site, ctx.quick ? 200 : 500);
  const cost: HookCost = {
    condition,
    p50: median(runs.map((r) => r.active.p50_ms - r.baseline.p50_ms)),
    p99: median(runs.map((r) => r.active.p99_ms - r.baseline.p99_ms)),
    write1: writeOf(runs.map((r) => r.single)),
    write10: writeOf(runs.map((r) => r.active)),
    wake,
    insert,
    runs,
  };
  const q = (x: Quantiles) => `${round(x.p50, 3)} / ${round(x.p99, 3)} ms`;
  ctx.log(
    `P1 ${condition}: +${round(cost.p50, 3)} ms p50, +${round(cost.p99, 3)} ms p99 per call; ` +
      `write 1 call ${q(cost.write1)}, 10 calls ${q(cost.write10)}; wake ${q(wake)}; one INSERT ${q(insert)}`,
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
  const q = (x: Quantiles) => `${fmt(x.p50, 3)} / ${fmt(x.p99, 3)}`;
  const rows: FigureRow[] = costs.flatMap((c) => [
    {
      what: `per call, ${c.condition} (p50 / p99)`,
      value: `+${fmt(c.p50, 3)} / +${fmt(c.p99, 3)} ms`,
      target: '≤ 0.3 / ≤ 1 ms',
      met: c.p50 <= 0.3 && c.p99 <= 1,
    },
    {
      what: `  + inbox INSERT once per request of 1 · 10 calls, ${c.condition}`,
      value: `${q(c.write1)} · ${q(c.write10)} ms`,
      target: '—',
      met: null,
    },
    {
      what: `  + wake-up once per request, ${c.condition}`,
      value: `${q(c.wake)} ms`,
      target: '—',
      met: null,
    },
    {
      what: `  (reference: one INSERT per call, as before buffering)`,
      value: `${q(c.insert)} ms`,
      target: '—',
      met: null,
    },
  ]);
  return {
    id: 'P1',
    title: 'Hook overhead in the PHP request (plugin active vs inactive)',
    rows,
    details: { iterations: ctx.quick ? 2000 : 5000, callsPerRequest, costs },
  };
}
