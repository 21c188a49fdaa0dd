/**
 * The delivery worker: claim → send → record → reschedule | give up, with bounded concurrency overall and per
 * webhook (a dead endpoint cannot take every slot), woken at once when work arrives and otherwise polling.
 */
import { randomBytes } from 'node:crypto';
import * as sql from '../db/deliveries.ts';
import { inTransaction } from '../db/pool.ts';
import type { Deps } from '../deps.ts';
import { drainInboxOnce } from '../ingest/ingest.ts';
import { runAttempt, type AttemptResult } from './attempt.ts';
import { createRecorder } from './recorder.ts';

export interface WorkerOptions {
  /** Longest idle wait between polls, in milliseconds. */
  pollMs?: number;
  onRecorded?: (results: AttemptResult[]) => void;
}

export interface Worker {
  start(): void;
  wake(): void;
  running(): boolean;
  /** Stops claiming, waits up to `graceMs` for attempts under way, records them, releases the rest. */
  stop(graceMs?: number): Promise<void>;
  readonly owner: string;
}

export function createWorker(deps: Deps, options: WorkerOptions = {}): Worker {
  const { db, tables: t, config, log } = deps;
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  const inFlight = new Map<number, { webhookId: number; done: Promise<void> }>();
  const perWebhook = new Map<number, number>();
  let active = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const recorder = createRecorder(db, t, owner, log, {
    disableAfterSeconds: config.disableAfterSeconds,
    onRecorded: (results) => {
      deps.metrics.recordAttempts(results);
      options.onRecorded?.(results);
    },
    onDisabled: (webhookId, reason) => {
      log.warn({ webhookId, reason }, 'webhook disabled');
      deps.notifyDisabled(webhookId, reason);
    },
  });
  const attemptDeps = {
    sender: deps.sender,
    cipher: deps.cipher,
    schedule: config.retrySchedule,
    now: deps.now,
    random: Math.random,
  };

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !active) return resolve();
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = null;
    });

  function launch(d: sql.ClaimedDelivery): void {
    const webhookId = Number(d.webhook_id);
    perWebhook.set(webhookId, (perWebhook.get(webhookId) ?? 0) + 1);
    const done = runAttempt(d, attemptDeps)
      .then((result) => recorder.record(result))
      .catch((error: unknown) => log.error({ err: error, deliveryId: d.id }, 'attempt failed to complete'))
      .finally(() => {
        inFlight.delete(Number(d.id));
        const left = (perWebhook.get(webhookId) ?? 1) - 1;
        if (left > 0) perWebhook.set(webhookId, left);
        else perWebhook.delete(webhookId);
        wake();
      });
    inFlight.set(Number(d.id), { webhookId, done });
  }

  async function tick(): Promise<number> {
    while ((await drainInboxOnce(deps)) > 0);
    const free = config.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const saturated = [...perWebhook].filter(([, n]) => n >= config.perWebhookConcurrency).map(([id]) => id);
    const ids = await inTransaction(db, (conn) =>
      sql.claimDue(conn, t, owner, Math.min(free, 200), config.leaseSeconds, saturated),
    );
    for (const d of await sql.selectClaimed(db, t, ids)) launch(d);
    return ids.length;
  }

  async function loop(): Promise<void> {
    let lastLeaseSweep = 0;
    while (active) {
      woken = false;
      try {
        if (Date.now() - lastLeaseSweep > 5000) {
          lastLeaseSweep = Date.now();
          const released = await sql.releaseExpiredLeases(db, t);
          if (released)
            log.warn({ released }, 'deliveries of a stopped worker are due again (lease expired)');
        }
        const claimed = await tick();
        if (claimed > 0 || woken) continue;
        const next = inFlight.size >= config.concurrency ? null : await sql.secondsUntilNextDue(db, t);
        await sleep(next === null ? pollMs : Math.min(pollMs, Math.max(5, next * 1000)));
      } catch (error) {
        log.error({ err: (error as Error).message }, 'worker loop error; retrying shortly');
        await sleep(Math.min(pollMs, 500));
      }
    }
  }

  return {
    owner,
    start() {
      if (active) return;
      active = true;
      loopDone = loop();
    },
    wake,
    running: () => active,
    async stop(graceMs = config.requestTimeoutMs + 2000) {
      active = false;
      wakeUp?.();
      await loopDone;
      const pending = [...inFlight.values()].map((f) => f.done);
      await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, graceMs))]);
      await recorder.drain();
      await sql.releaseClaims(db, t, owner, [...inFlight.keys()]);
    },
  };
}
