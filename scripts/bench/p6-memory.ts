/** P6: the sidecar's peak resident memory, sampled every 200 ms from /proc during P2's and P5's runs. */
import { fmt, type FigureResult } from './context.ts';

interface WithSidecar {
  sidecar?: { peakRssMb: number };
}

const peak = (items: WithSidecar[]) => Math.max(0, ...items.map((i) => i.sidecar?.peakRssMb ?? 0));

/** Builds P6 from P2's and P5's details; undefined when neither ran. */
export function p6FromRuns(figures: FigureResult[]): FigureResult | undefined {
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
    ],
    details: { p2PeakMb: during2, p5PeakMb: during5 },
  };
}
