/**
 * `npx tsx scripts/bench/p10-profile.ts [hook] [path] [requests]`: P10's site, and the callbacks of one action
 * (default rest_api_init) timed in every request to one path (default /wp-json/wp/v2/types/post), plugin active
 * and inactive alternating; prints each callback's p50 and p90 per arm, in µs. Explains where P10's overhead goes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/sidecar.ts';
import type { BenchContext } from './context.ts';
import { startBenchReceiver } from './receiver.ts';
import { startBenchStack } from './stack.ts';
import { percentile } from './stats.ts';
import { startBenchSite } from './wordpress.ts';

const [hook = 'rest_api_init', route = '/wp-json/wp/v2/types/post', count = '300'] = process.argv.slice(2);
const probe = path.join(repoRoot, 'test/wp-mu-plugins/fcwh-request-probe.php');

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const receiver = await startBenchReceiver('https', stack.tls);
  const ctx: BenchContext = { stack, receiver, quick: true, runs: 1, log: console.log };
  const site = await startBenchSite(ctx, 'wordpress-p10-profile', { muPlugins: [probe] });
  try {
    const n = Number(count);
    for (let i = 0; i < 2 * n + 20; i++) {
      const plugin = i % 4 === 0 || i % 4 === 3 ? 'on' : 'off'; // ABBA
      const headers: Record<string, string> = {
        'x-fcwh-test-timing': `r-${plugin}-${i}`,
        'x-fcwh-test-profile': hook,
      };
      if (plugin === 'off') headers['x-fcwh-test-plugin'] = 'off';
      const res = await fetch(`${site.wp.url}${route}`, { headers });
      await res.arrayBuffer();
      if (i === 19)
        fs.rmSync(path.join(site.wp.siteDir, 'wp-content', 'fcwh-test-profile.log'), { force: true });
    }
    const times = new Map<string, { on: number[]; off: number[] }>();
    const file = path.join(site.wp.siteDir, 'wp-content', 'fcwh-test-profile.log');
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^r-(on|off)-\d+ (\S+) (\d+)$/.exec(line);
      if (!m) continue;
      const entry = times.get(m[2]!) ?? { on: [], off: [] };
      times.set(m[2]!, entry);
      entry[m[1] as 'on' | 'off'].push(Number(m[3]));
    }
    const q = (v: number[]) =>
      v.length ? `${percentile(v, 50)} / ${percentile(v, 90)}`.padStart(13) : '—'.padStart(13);
    console.log(`\n${hook} on ${route}: callback, p50 / p90 µs, active · inactive`);
    for (const [name, t] of [...times].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })))
      console.log(`${name.padEnd(70)} ${q(t.on)} · ${q(t.off)}`);
  } finally {
    await site.stop();
    await receiver.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
