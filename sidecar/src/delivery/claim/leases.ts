/**
 * Leases of claimed deliveries: the owner renews its own on a timer, and every worker sweeps expired ones (a dead
 * owner's) back to pending.
 */
import * as sql from './claimed.ts';
import type { Pool, Tables } from '../../db/pool.ts';
import type { Logger } from '../../log.ts';

export interface LeaseKeeper {
  /** Starts renewing every third of a lease. */
  start(): void;
  stop(): void;
  /**
   * Makes a dead owner's expired rows due again, at most once per sweep interval (half a lease, ≤ 5 s). Resolves
   * with how many.
   */
  sweepIfDue(): Promise<number>;
}

export interface LeaseOptions {
  db: Pool;
  tables: Tables;
  owner: string;
  log: Logger;
  /** FCWH_LEASE_SECONDS. */
  leaseSeconds: number;
  /** The owner's claimed, unrecorded deliveries. */
  own: () => number[];
  /** Of those, the ones to renew (not the ones given back at shutdown). */
  renewable: () => number[];
}

export function createLeaseKeeper(options: LeaseOptions): LeaseKeeper {
  const { db, tables: t, owner, log, leaseSeconds } = options;
  let timer: NodeJS.Timeout | undefined;
  let lastSweep = 0;
  // Expired leases are looked for every half lease (at most 5 s): a dead worker's rows wait 1 to 1.5 leases.
  const sweepEveryMs = Math.min(5000, leaseSeconds * 500);

  /**
   * Keeps the leases of claimed, unrecorded deliveries fresh, on its own timer so that a slow loop iteration
   * cannot starve it: a lease then lapses only when its owner is gone, not because a send or its recording
   * (the database restarting) took long.
   */
  function renew(): void {
    sql
      .renewLeases(db, t, owner, options.renewable(), leaseSeconds)
      .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'renewing leases failed'));
  }

  return {
    start() {
      timer = setInterval(renew, (leaseSeconds * 1000) / 3);
      timer.unref();
    },
    stop: () => clearInterval(timer),
    async sweepIfDue() {
      if (Date.now() - lastSweep <= sweepEveryMs) return 0;
      lastSweep = Date.now();
      // A worker never sweeps its own unrecorded rows: their leases may have lapsed only because the database
      // was away, and it is about to record them.
      const expired = await sql.releaseExpiredLeases(db, t, { owner, ids: options.own() });
      if (expired)
        log.warn({ released: expired }, 'deliveries of a stopped worker are due again (lease expired)');
      return expired;
    },
  };
}
