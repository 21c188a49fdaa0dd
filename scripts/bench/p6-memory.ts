/**
 * P6: the sidecar's peak resident memory, sampled every 200 ms from /proc during P2's and P5's runs (the sidecar as
 * the service runs it: the esbuild bundle, V8's old space capped at `sidecarHeapMb`); and one more P2 run with
 * V8's default heap size, to show what the cap saves and what it costs in throughput.
 */
import { sidecarHeapMb } from '../stack/sidecar.ts';
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { measureThroughput, p2Concurrency, type ThroughputRun } from './p2-throughput.ts';

/** The old-space size of the comparison run, MB: about what V8 picks by itself on a machine with many GB. */
export const uncappedMb = 4096;

/** One P2-shaped run without the service's heap cap (NODE_OPTIONS' size replaces the launcher's). */
export async function cappedRun(ctx: BenchContext): Promise<ThroughputRun | undefined> {
  const [run] = await measureThroughput(ctx, {
    label: 'p6-uncapped',
    count: 20_000,
    concurrency: p2Concurrency,
    bare: false,
    runs: 1,
    env: { NODE_OPTIONS: `--max-old-space-size=${uncappedMb}` },
  });
  return run;
}

interface WithSidecar {
  sidecar?: { peakRssMb: number };
}

const peak = (items: WithSidecar[]) => Math.max(0, ...items.map((i) => i.sidecar?.peakRssMb ?? 0));

/** Builds P6 from P2's and P5's details; undefined when neither ran. */
export function p6FromRuns(figures: FigureResult[], capped?: ThroughputRun): FigureResult | undefined {
  const p2 = figures.find((f) => f.id === 'P2')?.details as { runs?: WithSidecar[] } | undefined;
  const p5 = figures.find((f) => f.id === 'P5')?.details as
    { alone?: WithSidecar; beside?: WithSidecar; backlog?: WithSidecar } | undefined;
  if (!p2?.runs && !p5) return undefined;
  const during2 = peak(p2?.runs ?? []);
  const during5 = peak([p5?.alone ?? {}, p5?.beside ?? {}, p5?.backlog ?? {}]);
  const worst = Math.max(during2, during5);
  return {
    id: 'P6',
    title: 'Sidecar resident memory',
    rows: [
      {
        what: 'peak RSS during P2 / during P5',
        value: `${fmt(during2)} / ${fmt(during5)} MB`,
        target: '≤ 150 MB',
        met: worst > 0 && worst <= 150,
      },
      ...(capped
        ? [
            {
              what: `  P2 again without the ${sidecarHeapMb} MB heap cap: peak RSS, deliveries/s`,
              value: `${fmt(capped.sidecar.peakRssMb)} MB, ${fmt(capped.rate)}/s`,
              target: '—',
              met: null,
            },
          ]
        : []),
    ],
    details: { p2PeakMb: during2, p5PeakMb: during5, heapCapMb: sidecarHeapMb, uncappedMb, uncapped: capped },
  };
}
