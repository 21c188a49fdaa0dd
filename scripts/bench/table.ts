/** Prints the figures as a table and writes them (with the machine) to bench-results/latest.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FigureResult } from './context.ts';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  os: string;
  /** CPU pressure (share of time some task waited for a CPU) over the run, %: other load on the machine. */
  cpuPressure?: number;
  loadAverage: number[];
}

export function machine(): Machine {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Total time tasks waited for a CPU so far (µs), from /proc/pressure/cpu; undefined without PSI. */
export function cpuStall(): number | undefined {
  try {
    const line = fs.readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0]!;
    return Number(/total=(\d+)/.exec(line)?.[1]);
  } catch {
    return undefined;
  }
}

const mark = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'NOT met');

export function renderTable(figures: FigureResult[], m: Machine, mode: string): string {
  const rows = figures.flatMap((f) =>
    f.rows.map((r, i) => [i === 0 ? f.id : '', r.what, r.value, r.target, mark(r.met)]),
  );
  const header = ['#', 'Figure', 'Measured', 'Target', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}, ${m.os}; mode ${mode}` +
      (m.cpuPressure !== undefined ? `; CPU pressure during the run ${m.cpuPressure} %` : ''),
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

export function writeResults(
  dir: string,
  figures: FigureResult[],
  m: Machine,
  extra: Record<string, unknown>,
): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  const body = { when: new Date().toISOString(), machine: m, ...extra, figures };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
