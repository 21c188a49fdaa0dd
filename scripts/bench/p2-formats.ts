/**
 * P2F: what a destination format costs the delivery path: sustained deliveries per second to one endpoint in the
 * `slack` and `template` formats as a ratio of the `json` format's, measured in the same run, one after another
 * (P2's harness, unpaced: the figure is the rendering's price, not the services' rate limits).
 */
import { fmt, type BenchContext, type FigureResult } from './context.ts';
import { measureThroughput, p2Concurrency } from './p2-throughput.ts';
import { median } from './stats.ts';

const template =
  '{"text": {{ data.title | json }}, "event": {{ event | json }}, "who": {{ xprofile.display_name | json }}, "link": {{ data.permalink | json }}}';

const formats = {
  json: { format: 'json' },
  slack: { format: 'slack', rate_limit: 0 },
  template: { format: 'template', template, rate_limit: 0 },
} as const;

export async function runP2F(ctx: BenchContext): Promise<FigureResult> {
  const count = ctx.quick ? 10_000 : 20_000;
  const measured: Record<string, { rate: number; cpuUsPerDelivery: number }[]> = {};
  // Alternated, run by run (json, slack, template, json, …): the shared machine's load moves between runs, and a
  // ratio of figures taken minutes apart would measure that instead.
  for (let i = 0; i < ctx.runs; i++) {
    for (const [name, webhook] of Object.entries(formats)) {
      const [run] = await measureThroughput(ctx, {
        label: `p2f-${name}`,
        count,
        concurrency: p2Concurrency,
        bare: false,
        webhook,
        runs: 1,
      });
      (measured[name] ??= []).push({ rate: run!.rate, cpuUsPerDelivery: run!.sidecarCpuUsPerDelivery });
    }
  }
  const rates = Object.fromEntries(
    Object.entries(measured).map(([name, runs]) => [name, median(runs.map((r) => r.rate))]),
  );
  const runs = measured;
  const slack = rates.slack! / rates.json!;
  const tpl = rates.template! / rates.json!;
  return {
    id: 'P2F',
    title: 'Deliveries per second by format',
    rows: [
      {
        what: `json deliveries/s, concurrency ${p2Concurrency}`,
        value: fmt(rates.json!),
        target: '—',
        met: null,
      },
      { what: 'slack / json', value: fmt(slack, 2), target: '≥ 0.9', met: slack >= 0.9 },
      { what: 'template / json', value: fmt(tpl, 2), target: '≥ 0.9', met: tpl >= 0.9 },
    ],
    details: { rates, ratios: { slack, template: tpl }, count, concurrency: p2Concurrency, runs },
  };
}
