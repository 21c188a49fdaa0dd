/**
 * How the P4 load generators send: at a fixed rate (open loop: a late answer does not delay the next request, so
 * latency is not hidden by a slowing sender) or as fast as `lanes` concurrent senders allow (closed loop).
 */

export interface Pace {
  seconds: number;
  /** Requests per second; 0 = closed loop. */
  rate: number;
  /** Concurrent senders in the closed loop. */
  lanes: number;
}

/** Calls `send` as `pace` says until `pace.seconds` have passed, then waits for the last ones; returns seconds. */
export async function drive(pace: Pace, send: () => Promise<void>): Promise<number> {
  const started = performance.now();
  const end = started + pace.seconds * 1000;
  if (pace.rate > 0) {
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const due = started + (i * 1000) / pace.rate;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = send().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: pace.lanes }, async () => {
        while (performance.now() < end) await send();
      }),
    );
  }
  return (performance.now() - started) / 1000;
}
