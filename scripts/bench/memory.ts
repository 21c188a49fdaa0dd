/** Where a sidecar's memory is, from its own /metrics (prom-client's process and V8 heap gauges), in MB. */
import type { Sidecar } from '../stack/sidecar.ts';

/** Metric name endings (the sidecar's prefix for prom-client's default metrics may change). */
const wanted = {
  rss: 'resident_memory_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  external: 'nodejs_external_memory_bytes',
};

export async function memoryBreakdown(sidecar: Sidecar): Promise<Record<string, number>> {
  try {
    const res = await fetch(`${sidecar.url}/metrics`, { headers: { authorization: sidecar.authorization } });
    const text = await res.text();
    return Object.fromEntries(
      Object.entries(wanted).map(([k, name]) => {
        const line = text.split('\n').find((l) => !l.startsWith('#') && l.split(' ')[0]!.endsWith(name));
        return [k, line ? Math.round(Number(line.split(' ')[1]) / 1e5) / 10 : NaN];
      }),
    );
  } catch {
    return {};
  }
}
