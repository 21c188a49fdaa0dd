/** The count table each fault scenario prints: produced, delivered, lost, duplicated and why. */
import type { Tally } from './tally.ts';

export interface ScenarioCounts {
  scenario: string;
  /** Events written by the producer (each fans out to one delivery per subscribed webhook). */
  produced: number;
  /** Distinct message ids the receiver accepted. */
  delivered: number;
  /** Produced but neither delivered nor recorded as failed: must be 0. */
  lost: number;
  /** Accepted more than once (same webhook-id each time). */
  duplicated: number;
  /** Why duplicates happened, or anything else worth a line. */
  why: string;
  /** Further columns: failed, kills, attempts... */
  extra?: Record<string, string | number>;
}

/** Delivered, lost and duplicated from a tally, for events numbered `from..from+produced-1`. */
export function countArrivals(
  tally: Tally,
  produced: number,
  { from = 1, webhook }: { from?: number; webhook?: string } = {},
) {
  const arrivals = tally.accepted.filter((a) => webhook === undefined || a.webhook === webhook);
  const seqs = new Set(arrivals.map((a) => a.seq));
  const missing: number[] = [];
  for (let seq = from; seq < from + produced; seq++) if (!seqs.has(seq)) missing.push(seq);
  const counts = tally.counts(webhook);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  // The same seq under two message ids would be a second event for one action call: never expected.
  const idsPerSeq = new Map<number, Set<string>>();
  for (const a of arrivals) idsPerSeq.set(a.seq, (idsPerSeq.get(a.seq) ?? new Set()).add(a.id));
  const seqWithSeveralIds = [...idsPerSeq].filter(([, ids]) => ids.size > 1).map(([seq]) => seq);
  return { delivered: counts.size, missing, duplicates, seqWithSeveralIds };
}

/** Prints one scenario's counts as a small table in the test output. */
export function printCounts(c: ScenarioCounts): void {
  const rows: [string, string | number][] = [
    ['produced', c.produced],
    ['delivered', c.delivered],
    ['lost', c.lost],
    ['duplicated', c.duplicated],
    ...Object.entries(c.extra ?? {}),
    ['why', c.why],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log([`── ${c.scenario}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'));
}
