/**
 * P10: what a visitor's whole request costs more with the plugin active, on a site whose shared namespace holds
 * Fluent Community's ~120 routes (the emulator's). One warm `php -S` with OPcache answers both arms: the probe
 * mu-plugin leaves the plugin out of a request that asks (`X-FCWH-Test-Plugin: off`), so active and inactive
 * requests alternate one by one (ABBA order) on the same processes, caches and database. Wall time per request is
 * measured by the client; overhead = percentile(active) − percentile(inactive).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fmt, type BenchContext, type FigureResult, type FigureRow } from './context.ts';
import { percentile, round } from './stats.ts';
import { cpuStall } from './table.ts';
import { repoRoot } from '../stack/sidecar.ts';
import type { SiteUserName } from '../stack/wordpress.ts';
import { startBenchSite, type BenchSite } from './wordpress.ts';

const probe = path.join(repoRoot, 'test/wp-mu-plugins/fcwh-request-probe.php');

interface Scenario {
  key: string;
  what: string;
  method: string;
  /** Path under the site's URL. */
  path: string;
  as?: SiteUserName;
  /** Whether the request fires an action the plugin records (an inbox row and a wake-up). */
  event: boolean;
}

const scenarios: Scenario[] = [
  {
    key: 'portal',
    what: 'REST, no event: GET fluent-community/v2/feeds',
    method: 'GET',
    path: '/wp-json/fluent-community/v2/feeds',
    event: false,
  },
  {
    key: 'core',
    what: 'REST, no event: GET wp/v2/types/post',
    method: 'GET',
    path: '/wp-json/wp/v2/types/post',
    event: false,
  },
  {
    key: 'event',
    what: 'REST, one event: POST fluent-community/v2/feeds/9/react (member)',
    method: 'POST',
    path: '/wp-json/fluent-community/v2/feeds/9/react',
    as: 'member',
    event: true,
  },
  { key: 'page', what: 'front-end page: GET /', method: 'GET', path: '/', event: false },
];

/** p50 / p99 goals of the overhead, ms. */
const goal = (s: Scenario) => (s.event ? { p50: 1.5, p99: 3 } : { p50: 0.5, p99: 1 });

/** After a request that woke the sidecar, both arms wait this long, so its ingest does not land on the next one. */
const settleMs = 25;

interface Arms {
  active: number[];
  inactive: number[];
}

type Quantiles = { p50: number; p99: number };

/** One measure of both arms: percentiles and overhead (active − inactive), ms. */
interface Compared {
  active: Quantiles;
  inactive: Quantiles;
  overhead: Quantiles;
}

interface ScenarioResult {
  key: string;
  what: string;
  requests: number;
  /** Wall time seen by the client: the figure. */
  client: Compared;
  /** Inside PHP (the probe's log): wall time from the request's start to the end of shutdown, and CPU time. */
  serverWall: Compared;
  cpu: Compared;
  /** Where it goes: loading plugins, rest_api_init, shutdown callbacks of priority 10 (ms), files included. */
  plugins: Compared;
  restApiInit: Compared;
  shutdown: Compared;
  files: Compared;
  /** Database queries of the request. */
  queries: Compared;
  /** Within shutdown: the inbox INSERT, and the wake-up after it (ms; 0 without an event). */
  insert: Compared;
  wake: Compared;
}

async function timeRequest(site: BenchSite, s: Scenario, plugin: 'on' | 'off', id?: string): Promise<number> {
  const headers: Record<string, string> = id ? { 'x-fcwh-test-timing': id } : {};
  if (plugin === 'off') headers['x-fcwh-test-plugin'] = 'off';
  if (s.as) headers.authorization = site.wp.basicAuth(s.as);
  const started = performance.now();
  const res = await fetch(`${site.wp.url}${s.path}`, { method: s.method, headers });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${s.method} ${s.path} (plugin ${plugin}): ${res.status}`);
  if (s.event) await new Promise((resolve) => setTimeout(resolve, settleMs));
  return ms;
}

/** Checks what the figure relies on: OPcache on, the plugin on and off on request, the event recorded. */
async function preflight(site: BenchSite): Promise<void> {
  const res = await fetch(`${site.wp.url}/wp-json/`, { headers: { 'x-fcwh-test-opcache': '1' } });
  const index = (await res.json()) as { namespaces: string[] };
  if (res.headers.get('x-fcwh-test-opcache') !== 'on') throw new Error('OPcache is off in php -S');
  const off = (await (
    await fetch(`${site.wp.url}/wp-json/`, { headers: { 'x-fcwh-test-plugin': 'off' } })
  ).json()) as { namespaces: string[] };
  if (
    !index.namespaces.includes('fluent-community-webhooks/v1') ||
    off.namespaces.includes('fluent-community-webhooks/v1')
  )
    throw new Error('the probe does not switch the plugin per request');
  // With the sidecar stopped the row stays in the inbox, where it can be seen.
  await site.stopSidecar();
  const rows = () =>
    site.wp.php(
      "global $wpdb; echo (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . \\FluentCommunityWebhooks\\Inbox::table());",
    );
  const before = Number(await rows());
  await timeRequest(
    site,
    scenarios.find((s) => s.event)!,
    'on',
  );
  const after = Number(await rows());
  await site.startSidecar();
  if (!(after > before)) throw new Error('the event request stored no inbox row');
}

const quantiles = (v: number[]): Quantiles => ({ p50: percentile(v, 50), p99: percentile(v, 99) });

function compare(arms: Arms): Compared {
  const active = quantiles(arms.active);
  const inactive = quantiles(arms.inactive);
  return { active, inactive, overhead: { p50: active.p50 - inactive.p50, p99: active.p99 - inactive.p99 } };
}

/** Columns of the probe's log after the id: wall, CPU, then spans (µs) and the number of files included. */
const columns = [
  'wall',
  'cpu',
  'plugins',
  'restApiInit',
  'shutdown',
  'files',
  'insert',
  'wake',
  'queries',
] as const;
type Column = (typeof columns)[number];

/** The probe's log: "<scenario>-<on|off>-<n>" and the columns, per request, grouped by scenario, column and arm. */
function readProbeLog(site: BenchSite): Map<string, Record<Column, Arms>> {
  const file = path.join(site.wp.siteDir, 'wp-content', 'fcwh-test-timing.log');
  const byKey = new Map<string, Record<Column, Arms>>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z]+)-(on|off)-\d+((?: \d+)+)$/.exec(line);
    if (!m || m[3]!.trim().split(' ').length !== columns.length) continue;
    const entry =
      byKey.get(m[1]!) ??
      (Object.fromEntries(columns.map((c) => [c, { active: [], inactive: [] }])) as unknown as Record<
        Column,
        Arms
      >);
    byKey.set(m[1]!, entry);
    const values = m[3]!.trim().split(' ').map(Number);
    columns.forEach((c, k) => {
      // Times in ms, the file count as is.
      entry[c][m[2] === 'on' ? 'active' : 'inactive'].push(
        c === 'files' || c === 'queries' ? values[k]! : values[k]! / 1000,
      );
    });
  }
  return byKey;
}

export async function runP10(ctx: BenchContext): Promise<FigureResult> {
  const site = await startBenchSite(ctx, 'wordpress-p10', { muPlugins: [probe] });
  try {
    await preflight(site);
    const pairsPerRound = 20;
    const rounds = ctx.quick ? 5 : 20;
    const arms = new Map(scenarios.map((s) => [s.key, { active: [], inactive: [] } as Arms]));
    // Warm every path of both arms (OPcache, MariaDB's buffer pool, the sidecar's connections).
    for (const s of scenarios) for (let i = 0; i < 10; i++) await timeRequest(site, s, i % 2 ? 'on' : 'off');
    const stall0 = cpuStall();
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const s of scenarios) {
        const arm = arms.get(s.key)!;
        for (let i = 0; i < pairsPerRound; i++) {
          // ABBA: neither arm always goes first, after the other arm's request.
          const order =
            (round * pairsPerRound + i) % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
          for (const plugin of order) {
            const id = `${s.key}-${plugin}-${arm.active.length + arm.inactive.length}`;
            const ms = await timeRequest(site, s, plugin, id);
            (plugin === 'on' ? arm.active : arm.inactive).push(ms);
          }
        }
      }
      ctx.log(`P10 round ${round + 1}/${rounds}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const stall1 = cpuStall();
    const cpuPressure =
      stall0 !== undefined && stall1 !== undefined
        ? Math.round((stall1 - stall0) / 1e4 / seconds)
        : undefined;
    const logged = readProbeLog(site);
    const results: ScenarioResult[] = scenarios.map((s) => {
      const server = logged.get(s.key);
      if (!server) throw new Error(`no probe timings for ${s.key}`);
      return {
        key: s.key,
        what: s.what,
        requests: arms.get(s.key)!.active.length,
        client: compare(arms.get(s.key)!),
        serverWall: compare(server.wall),
        cpu: compare(server.cpu),
        plugins: compare(server.plugins),
        restApiInit: compare(server.restApiInit),
        shutdown: compare(server.shutdown),
        files: compare(server.files),
        queries: compare(server.queries),
        insert: compare(server.insert),
        wake: compare(server.wake),
      };
    });
    const q = (c: Compared) =>
      `${fmt(c.active.p50, 2)} / ${fmt(c.active.p99, 2)} vs ${fmt(c.inactive.p50, 2)} / ${fmt(c.inactive.p99, 2)} ms`;
    for (const r of results)
      ctx.log(
        `P10 ${r.what}: active vs inactive p50 / p99: client ${q(r.client)}; in PHP ${q(r.serverWall)}; CPU ${q(r.cpu)}`,
      );
    const rows: FigureRow[] = results.flatMap((r, i) => {
      const g = goal(scenarios[i]!);
      const o = (c: Compared) => `${sign(c.overhead.p50)} / ${sign(c.overhead.p99)}`;
      return [
        {
          what: `${r.what}: overhead p50 / p99 (inactive p50 ${fmt(r.client.inactive.p50, 1)} ms)`,
          value: `${o(r.client)} ms`,
          target: `≤ ${g.p50} / ≤ ${g.p99} ms`,
          met: r.client.overhead.p50 <= g.p50 && r.client.overhead.p99 <= g.p99,
        },
        {
          what: '  inside PHP: wall · CPU time overhead, p50 / p99',
          value: `${o(r.serverWall)} · ${o(r.cpu)} ms`,
          target: '—',
          met: null,
        },
        {
          what: '  of which p50: loading plugins · rest_api_init · shutdown (ms); files · queries',
          value:
            [r.plugins, r.restApiInit, r.shutdown].map((c) => sign(c.overhead.p50, 3)).join(' · ') +
            `; ${sign(r.files.overhead.p50, 0)} · ${sign(r.queries.overhead.p50, 0)}`,
          target: '—',
          met: null,
        },
        ...(scenarios[i]!.event
          ? [
              {
                what: '  shutdown, active: inbox INSERT · wake-up, p50 / p99 (ms)',
                value: `${fmt(r.insert.active.p50, 2)} / ${fmt(r.insert.active.p99, 2)} · ${fmt(r.wake.active.p50, 2)} / ${fmt(r.wake.active.p99, 2)}`,
                target: '—',
                met: null,
              },
            ]
          : []),
      ];
    });
    rows.push({
      what: `  (${results[0]!.requests} requests per arm and path, interleaved; CPU pressure during P10)`,
      value: cpuPressure === undefined ? 'n/a' : `${cpuPressure} %`,
      target: '—',
      met: null,
    });
    return {
      id: 'P10',
      title: 'Whole-request overhead of the active plugin (OPcache on, ~120 Fluent Community routes)',
      rows,
      details: {
        rounds,
        pairsPerRound,
        settleMs,
        cpuPressure,
        seconds: round(seconds, 1),
        results: results.map((r) => ({
          ...r,
          client: roundCompared(r.client),
          serverWall: roundCompared(r.serverWall),
          cpu: roundCompared(r.cpu),
          plugins: roundCompared(r.plugins),
          restApiInit: roundCompared(r.restApiInit),
          shutdown: roundCompared(r.shutdown),
          files: roundCompared(r.files),
          queries: roundCompared(r.queries),
          insert: roundCompared(r.insert),
          wake: roundCompared(r.wake),
        })),
      },
    };
  } finally {
    await site.stop();
  }
}

const sign = (ms: number, digits = 2) => `${ms >= 0 ? '+' : '−'}${fmt(Math.abs(ms), digits)}`;
const roundQ = (q: Quantiles): Quantiles => ({ p50: round(q.p50, 3), p99: round(q.p99, 3) });
const roundCompared = (c: Compared): Compared => ({
  active: roundQ(c.active),
  inactive: roundQ(c.inactive),
  overhead: roundQ(c.overhead),
});
