/** Reads a process's CPU time and resident memory from /proc, and samples them while a figure runs. */
import fs from 'node:fs';

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds (user + system) the process has used so far; 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Resident set size in MB (VmRSS); 0 when the process is gone. */
export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** Every pid of the process group led by `pid` (php -S forks workers; tsx may leave a loader child). */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface Usage {
  /** Cores used on average over the window (1.0 = one core busy all the time). */
  cores: number;
  /** Peak resident memory over the window, MB. */
  peakRssMb: number;
}

/** Samples RSS every `everyMs` and CPU at the ends; `stop()` returns usage per named process. */
export function sampleUsage(pids: Record<string, number>, everyMs = 200) {
  const started = performance.now();
  const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const peak: Record<string, number> = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const tick = () => {
    for (const [k, pid] of Object.entries(pids)) peak[k] = Math.max(peak[k]!, rssMb(pid));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop(): Record<string, Usage> {
      clearInterval(timer);
      tick();
      const seconds = (performance.now() - started) / 1000;
      return Object.fromEntries(
        Object.entries(pids).map(([k, pid]) => [
          k,
          { cores: (cpuSeconds(pid) - cpu0[k]!) / seconds, peakRssMb: peak[k]! },
        ]),
      );
    },
  };
}
