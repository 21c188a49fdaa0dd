/**
 * `npm run bench [-- --quick] [-- --only=P2,P8] [-- --profile] [-- --runs=N] [-- --read-committed]`: starts MariaDB (durable
 * commits), a receiver process, the sidecar per figure and WordPress for P1/P3 and P10, all on 127.0.0.1; prints the
 * table of figures P1–P8, P2F (by format) and P10 and writes bench-results/latest.json.
 */
import path from 'node:path';
import { measureCommitLatency, type CommitLatency } from './commit-latency.ts';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { runP1 } from './p1-hook.ts';
import { runP2F } from './p2-formats.ts';
import { runP2 } from './p2-throughput.ts';
import { runP3 } from './p3-latency.ts';
import { runP4 } from './p4-ingest.ts';
import { runP5 } from './p5-isolation.ts';
import { cappedRun, p6FromRuns } from './p6-memory.ts';
import { runP7 } from './p7-fanout.ts';
import { runP8 } from './p8-scale.ts';
import { runP10 } from './p10-request.ts';
import { startBenchReceiver } from './receiver.ts';
import { benchDir, profileSidecars, startBenchStack } from './stack.ts';
import { cpuStall, machine, renderTable, writeResults } from './table.ts';
import { startBenchSite } from './wordpress.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const only = option('only')?.toUpperCase().split(',');
const wanted = (id: string) => !only || only.includes(id);
const started = performance.now();
const log = (message: string) =>
  console.log(`[${fmt((performance.now() - started) / 1000, 0).padStart(4)} s] ${message}`);

// Ctrl-C: exit through 'exit' so every server this run started is killed (scripts/stack/process.ts).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

/** Runs one figure; a failure becomes a row saying so, and the other figures still run. */
async function figure(id: string, title: string, run: () => Promise<FigureResult>): Promise<FigureResult> {
  log(`${id}: ${title}`);
  try {
    return await run();
  } catch (error) {
    log(`${id} failed: ${(error as Error).stack ?? String(error)}`);
    return {
      id,
      title,
      rows: [
        { what: title, value: `failed: ${(error as Error).message.slice(0, 120)}`, target: '', met: false },
      ],
      details: {},
    };
  }
}

async function main(): Promise<void> {
  if (flag('profile')) profileSidecars(path.join(benchDir, 'profiles'));
  const stall0 = cpuStall();
  const stack = await startBenchStack({ readCommitted: flag('read-committed') });
  const receiver = await startBenchReceiver('https', stack.tls);
  const ctx: BenchContext = { stack, receiver, quick, runs: Number(option('runs') ?? (quick ? 1 : 3)), log };
  const figures: FigureResult[] = [];
  log(
    `MariaDB ${stack.dbSettings.version}, innodb_flush_log_at_trx_commit=${stack.dbSettings.innodb_flush_log_at_trx_commit}; receiver ${receiver.url}`,
  );
  const commit: CommitLatency[] = [await measureCommitLatency(stack)];
  log(
    `durable commit (1-row INSERT, autocommit): p50 ${fmt(commit[0]!.p50, 2)} ms, p99 ${fmt(commit[0]!.p99, 2)} ms`,
  );
  try {
    if (wanted('P1') || wanted('P3')) {
      const site = await startBenchSite(ctx, 'wordpress');
      try {
        if (wanted('P1')) figures.push(await figure('P1', 'hook overhead', () => runP1(ctx, site)));
        if (wanted('P3')) figures.push(await figure('P3', 'hook → receiver latency', () => runP3(ctx, site)));
      } finally {
        await site.stop();
      }
    }
    if (wanted('P4')) figures.push(await figure('P4', 'ingest path', () => runP4(ctx)));
    if (wanted('P2') || wanted('P8'))
      figures.push(await figure('P2', 'sustained deliveries', () => runP2(ctx)));
    if (wanted('P2F')) figures.push(await figure('P2F', 'deliveries by format', () => runP2F(ctx)));
    if (wanted('P5')) figures.push(await figure('P5', 'black hole and backlog', () => runP5(ctx)));
    const capped = wanted('P6') && wanted('P2') ? await cappedRun(ctx).catch(() => undefined) : undefined;
    const p6 = p6FromRuns(figures, capped);
    if (p6) figures.push(p6);
    if (wanted('P7')) figures.push(await figure('P7', 'fan-out to 500', () => runP7(ctx)));
    if (wanted('P7F'))
      figures.push(await figure('P7F', 'fan-out to 500, half filtered out', () => runP7(ctx, true)));
    if (wanted('P8')) {
      const p2 = figures.find((f) => f.id === 'P2');
      const emptyRate = (p2?.details.rate as number | undefined) ?? NaN;
      figures.push(await figure('P8', 'big tables', () => runP8(ctx, emptyRate)));
    }
    if (wanted('P10')) figures.push(await figure('P10', 'whole-request overhead', () => runP10(ctx)));
    commit.push(await measureCommitLatency(stack));
    log(`durable commit at the end: p50 ${fmt(commit[1]!.p50, 2)} ms, p99 ${fmt(commit[1]!.p99, 2)} ms`);
  } finally {
    await receiver.close();
    await stack.stop();
  }
  const m = machine();
  const stall1 = cpuStall();
  const seconds = (performance.now() - started) / 1000;
  if (stall0 !== undefined && stall1 !== undefined)
    m.cpuPressure = Math.round((stall1 - stall0) / 1e4 / seconds);
  figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  // The sidecar sets READ COMMITTED on its own sessions (db/pool.ts); `--read-committed` (an experiment, labelled)
  // makes it the server's default, so WordPress's and the load generators' sessions use it too.
  const isolation = `server ${stack.dbSettings.tx_isolation}, sidecar READ-COMMITTED`;
  const commits = commit.map((c) => `${fmt(c.p50, 2)} / ${fmt(c.p99, 2)}`).join(' → ');
  const mode = `${quick ? 'quick' : 'full'}, ${ctx.runs} run(s) per figure, receiver ${receiver.scheme}, ${isolation}, durable commit p50 / p99 ${commits} ms (start → end), ${fmt(seconds)} s`;
  console.log(`\n${renderTable(figures, m, mode)}\n`);
  const file = writeResults(benchDir, figures, m, { mode, seconds, mariadb: stack.dbSettings, commit });
  console.log(`written: ${path.relative(process.cwd(), file)}`);
}

// Exit explicitly: anything still running (a sidecar left by a failed figure) is killed on the way out.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
